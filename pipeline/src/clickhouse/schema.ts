import type { ClickHouseClient } from '@clickhouse/client';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTRUMENTS, TABLE_DESCRIPTIONS } from '../market/index.ts';

/**
 * The three ClickHouse databases of the plan. Tests and benches map them to private names so several runs can share
 * the stack's one chdb server without touching the tables other suites rely on.
 */
export interface Databases {
  flowforge: string;
  metrics: string;
  marts: string;
}

export const DEFAULT_DATABASES: Databases = { flowforge: 'flowforge', metrics: 'metrics', marts: 'marts' };

/** Private databases for one test/bench process: `<prefix>_flowforge`, `<prefix>_metrics`, `<prefix>_marts`. */
export const prefixedDatabases = (prefix: string): Databases => ({
  flowforge: `${prefix}_flowforge`,
  metrics: `${prefix}_metrics`,
  marts: `${prefix}_marts`,
});

/** Fully qualified table names for a set of databases. */
export function tablesOf(dbs: Databases) {
  return {
    rawTrades: `${dbs.flowforge}.raw_trades`,
    rawQuotes: `${dbs.flowforge}.raw_quotes`,
    vwap5min: `${dbs.metrics}.vwap_5min`,
    rollingVolatility: `${dbs.metrics}.rolling_volatility`,
    hourlyRollup: `${dbs.metrics}.hourly_rollup`,
    dailyRollup: `${dbs.metrics}.daily_rollup`,
    dimInstruments: `${dbs.marts}.dim_instruments`,
  };
}
export type Tables = ReturnType<typeof tablesOf>;

const SCHEMA_DIR = join(import.meta.dirname, '..', '..', 'clickhouse');
const SCHEMA_FILES = ['000_init.sql', '001_mvs.sql'] as const;

/** The statements of a schema file with the plan's database names replaced by `dbs`. */
function schemaStatements(sql: string, dbs: Databases): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => s.replace(/\b(flowforge|metrics|marts)\b(?=\.|$)/g, (name) => dbs[name as keyof Databases]));
}

/**
 * Applies 000_init.sql and 001_mvs.sql (every statement is IF NOT EXISTS or an idempotent ALTER), sets the tables'
 * descriptions as their comments and fills marts.dim_instruments once. Safe to run on every start and from several processes.
 */
export async function migrate(client: ClickHouseClient, dbs: Databases = DEFAULT_DATABASES): Promise<number> {
  let applied = 0;
  for (const file of SCHEMA_FILES) {
    for (const query of schemaStatements(readFileSync(join(SCHEMA_DIR, file), 'utf8'), dbs)) {
      await client.command({ query });
      applied++;
    }
  }
  // The catalog reads each table's description from the store: its comment.
  for (const [name, description] of Object.entries(TABLE_DESCRIPTIONS)) {
    const [database, table] = name.split('.') as [keyof Databases, string];
    const literal = `'${description.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
    await client.command({ query: `ALTER TABLE ${dbs[database]}.${table} MODIFY COMMENT ${literal}` });
    applied++;
  }
  const dim = tablesOf(dbs).dimInstruments;
  const existing = await client.query({ query: `SELECT count() AS n FROM ${dim}`, format: 'JSONEachRow' });
  const [{ n } = { n: 0 }] = await existing.json<{ n: number | string }>();
  if (Number(n) === 0) {
    await client.insert({
      table: dim,
      format: 'JSONEachRow',
      values: INSTRUMENTS.map((i) => ({
        symbol: i.symbol,
        name: i.name,
        sector: i.sector,
        exchange: i.exchange,
        currency: i.currency,
        lot_size: i.lotSize,
      })),
    });
  }
  return applied;
}

/** Drops the private databases of a test or bench run. Refuses the plan's own names. */
export async function dropDatabases(client: ClickHouseClient, dbs: Databases): Promise<void> {
  for (const db of Object.values(dbs)) {
    if (Object.values(DEFAULT_DATABASES).includes(db)) throw new Error(`refusing to drop ${db}`);
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  }
}
