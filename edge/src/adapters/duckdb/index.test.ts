import type { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';
import { analyticsEngineContract } from '../../ports/analytics-engine.case.ts';
import { catalogSourceContract } from '../../ports/schema-catalog.case.ts';
import { seededDuckDB } from '../../test-support/duckdb-seed.ts';
import { DuckDBCatalogSource, DuckDBEngine } from './index.ts';

let db: DuckDBInstance;
beforeAll(async () => {
  db = await seededDuckDB();
});
afterAll(() => db.closeSync());

analyticsEngineContract('duckdb (embedded mode)', () => new DuckDBEngine(db), {
  slowSql: 'SELECT count(*) FROM range(100000000000) t(n) WHERE hash(n) % 7 = 3',
  timeZoneSql: "SELECT current_setting('TimeZone')",
  capsRowsRead: false,
});
catalogSourceContract('duckdb information_schema', () => new DuckDBCatalogSource(db));
