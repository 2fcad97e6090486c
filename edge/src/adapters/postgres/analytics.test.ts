import ws from 'ws';
import { afterAll, beforeAll } from 'vitest';
import { analyticsEngineContract } from '../../ports/analytics-engine.case.ts';
import { catalogSourceContract } from '../../ports/schema-catalog.case.ts';
import { seedPostgres } from '../../test-support/postgres-seed.ts';
import { stackEnv } from '../../test-support/stack.ts';
import { openNeon } from '../neon/index.ts';
import { PostgresCatalogSource, PostgresEngine, type OpenSql } from './analytics.ts';

// The stack's PostgreSQL plays Materialize (same wire protocol and information_schema), in its own schema.
const SCHEMA = 'edge_live_test';
const neon = openNeon({
  connectionString: stackEnv.DATABASE_URL,
  wsProxy: stackEnv.NEON_WS_PROXY,
  webSocketConstructor: ws,
});
const shared: OpenSql = () => ({ sql: neon.sql, end: async () => {} });
beforeAll(() => seedPostgres(neon.sql, SCHEMA));
afterAll(() => neon.end());

analyticsEngineContract('postgres wire (neon → stack PG)', () => new PostgresEngine('materialize', shared), {
  slowSql: "SELECT count(*) FROM generate_series(1, 10000000000) g WHERE md5(g::text) LIKE 'abc%'",
  timeZoneSql: "SELECT current_setting('TimeZone')",
  capsRowsRead: false,
  database: SCHEMA,
  unreachable: () =>
    new PostgresEngine('materialize', () =>
      openNeon({
        connectionString: 'postgres://postgres@127.0.0.1:1/none',
        wsProxy: stackEnv.NEON_WS_PROXY,
        webSocketConstructor: ws,
      }),
    ),
});
catalogSourceContract(
  'postgres information_schema',
  () => new PostgresCatalogSource('materialize', shared, [SCHEMA]),
  SCHEMA,
);
