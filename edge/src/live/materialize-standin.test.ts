import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, node } from '../test-support/graphs.ts';
import { startHarness, type Harness } from '../test-support/harness.ts';
import { stackEnv, uniqueTenant } from '../test-support/stack.ts';

/**
 * Materialize cannot run here, so its live views are checked on PostgreSQL: the very SQL of
 * pipeline/materialize/002_live_views.sql (only CREATE MATERIALIZED VIEW IF NOT EXISTS → CREATE VIEW), over tables shaped
 * like the staging views of 001_staging.sql, queried through the edge's Materialize engine (PG wire, Neon driver) and
 * routed there by the catalog's `store`.
 */
const schema = `mz_standin_${process.pid}`;
const liveViews = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'pipeline', 'materialize', '002_live_views.sql'),
  'utf8',
).replaceAll('CREATE MATERIALIZED VIEW IF NOT EXISTS', 'CREATE VIEW');
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ MATERIALIZE_URL: stackEnv.DATABASE_URL, MATERIALIZE_SCHEMAS: schema });
  await h.node.sql.transaction(async (tx) => {
    await tx.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET LOCAL search_path TO ${schema};
      CREATE TABLE raw_trades_parsed (trade_id text, event_time timestamptz, symbol text, side text,
        quantity numeric, price numeric, notional numeric);
      CREATE TABLE raw_quotes_parsed (symbol text, event_time timestamptz, bid numeric, ask numeric,
        bid_size numeric, ask_size numeric, mid_price numeric);
      INSERT INTO raw_trades_parsed VALUES
        ('t1', '2026-03-02 14:30:00Z', 'AAPL', 'BUY', 10, 100, 1000),
        ('t2', '2026-03-02 14:31:00Z', 'AAPL', 'SELL', 4, 110, 440),
        ('t3', '2026-03-02 14:32:00Z', 'MSFT', 'BUY', 5, 200, 1000);
      INSERT INTO raw_quotes_parsed VALUES
        ('AAPL', '2026-03-02 14:30:30Z', 104, 106, 100, 100, 105),
        ('AAPL', '2026-03-02 14:33:00Z', 106, 108, 100, 100, 107),
        ('MSFT', '2026-03-02 14:32:30Z', 199, 201, 100, 100, 200);
      ${liveViews}`);
  });
});
afterAll(async () => {
  await h?.node.sql.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await h?.close();
});

const pnlGraph = () => ({
  nodes: [
    node('pnl', 'data_source', { database: schema, table: 'live_pnl' }),
    node('cols', 'select', { columns: ['symbol', 'net_qty', 'net_notional', 'mid_price', 'unrealized_pnl'] }),
    node('srt', 'sort', { sorts: [{ column: 'symbol', direction: 'ASC' }] }),
  ],
  edges: [edge('pnl', 'cols'), edge('cols', 'srt')],
});

describe('Materialize stand-in: the plan’s live views on PostgreSQL through the live engine', () => {
  it('discovers live_positions, live_quotes and live_pnl under the materialize store', async () => {
    const res = await h.as(uniqueTenant('mzc')).get('/api/v1/schema');
    const body = (await res.json()) as { tables: { database: string; table: string; store: string }[] };
    const ours = body.tables.filter((t) => t.database === schema);
    expect(ours.map((t) => t.table).sort()).toEqual(
      ['live_pnl', 'live_positions', 'live_quotes', 'raw_quotes_parsed', 'raw_trades_parsed'].sort(),
    );
    expect(new Set(ours.map((t) => t.store))).toEqual(new Set(['materialize']));
  });

  it('answers hand-computed unrealized P&L with the postgres dialect, and applies the ACL at the scan', async () => {
    const res = await h
      .as(uniqueTenant('mzp'))
      .post('/api/v1/preview', { graph: pnlGraph(), target_node_id: 'srt' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: unknown[][]; sql: string };
    expect(body.sql).toMatch(new RegExp(`FROM "${schema}"\\."live_pnl"`));
    // AAPL: net 10 − 4 = 6 at a net notional 1000 − 440 = 560; latest mid 107 → 6 × 107 − 560 = 82. MSFT: 5 × 200 − 1000.
    expect(body.rows).toEqual([
      ['AAPL', 6, 560, 107, 82],
      ['MSFT', 5, 1000, 200, 0],
    ]);

    const tenant = uniqueTenant('mza');
    await h.as(tenant).put('/api/v1/acl', { allowed_symbols: ['MSFT'], allowed_tables: null });
    const narrowed = await h.as(tenant).post('/api/v1/preview', { graph: pnlGraph(), target_node_id: 'srt' });
    expect(((await narrowed.json()) as { rows: unknown[][] }).rows).toEqual([['MSFT', 5, 1000, 200, 0]]);
  });
});
