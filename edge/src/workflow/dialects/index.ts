import type { Store } from '../schema.ts';
import { clickhouse } from './clickhouse.ts';
import type { Dialect, DialectName } from './dialect.ts';
import { duckdb } from './duckdb.ts';
import { postgres } from './postgres.ts';

export { DIALECTS, type Dialect, type DialectName } from './dialect.ts';

export const DIALECT_BY_NAME: Readonly<Record<DialectName, Dialect>> = { clickhouse, postgres, duckdb };

/**
 * The SQL a store speaks: Materialize speaks PostgreSQL's. Redis speaks none: its query is a lookup plan, and the SQL
 * printed per node for it (the canvas's SQL tab) is the PostgreSQL-dialect equivalent.
 */
export const STORE_DIALECT: Readonly<Record<Store, DialectName>> = {
  clickhouse: 'clickhouse',
  materialize: 'postgres',
  postgres: 'postgres',
  duckdb: 'duckdb',
  redis: 'postgres',
};
