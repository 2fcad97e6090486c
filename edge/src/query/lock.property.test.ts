import type { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { ApiError } from '../errors.ts';
import { createNodeDeps, type NodeDeps } from '../node-deps.ts';
import type { GlobalFilters } from '../ports/metadata-store.ts';
import { seededDuckDB } from '../test-support/duckdb-seed.ts';
import { edge, node } from '../test-support/graphs.ts';
import { parseGraph, runQuery } from './index.ts';

/*
 * Property: for random graphs and random embed locks, the rows served under the lock are a sub-multiset of the rows of
 * the same graph with the lock written as filter nodes right after every scan that has the locked column. Tables:
 * raw_trades (symbol + time), instruments (symbol only), calendar (time only).
 */
let db: DuckDBInstance;
let node_: NodeDeps;
const NO_ACL = { allowedSymbols: null, allowedTables: null, version: 1 };

beforeAll(async () => {
  db = await seededDuckDB();
  const conn = await db.connect();
  await conn.run(`CREATE TABLE flowforge.instruments AS
      SELECT * FROM (VALUES ('AAPL', 'Tech'), ('MSFT', 'Tech'), ('GOOGL', 'Tech'), ('TSLA', 'Auto'), ('JPM', 'Banks'))
      AS t(symbol, sector);
    CREATE TABLE flowforge.calendar AS
      SELECT CAST(d AS DATE) AS day, dayofweek(d) IN (0, 6) AS weekend
      FROM range(TIMESTAMP '2026-01-01', TIMESTAMP '2026-01-12', INTERVAL 1 DAY) AS r(d)`);
  conn.closeSync();
  const config = parseConfig({ APP_ENV: 'test', ANALYTICS_BACKEND: 'duckdb', CACHE_BACKEND: 'memory' });
  node_ = await createNodeDeps(config, { duckdb: db });
});
afterAll(async () => {
  await node_?.close();
  db?.closeSync();
});

type Graph = {
  nodes: readonly ReturnType<typeof node>[];
  edges: readonly { id: string; source: string; target: string; targetHandle?: string }[];
};
const source = (id: string, table: string) => node(id, 'data_source', { database: 'flowforge', table });
const count = (id: string, keys: string[]) =>
  node(id, 'group_by', { group_by: keys, aggregations: [{ function: 'count', column: '*' }] });

const tradeShape: fc.Arbitrary<{ graph: Graph }> = fc.oneof(
  fc.subarray(['side', 'symbol'] as const).map((keys) => ({
    graph: {
      nodes: [source('s', 'raw_trades'), count('out', [...keys])],
      edges: [edge('s', 'out')],
    },
  })),
  fc
    .subarray(['trade_id', 'event_time', 'symbol', 'side', 'quantity', 'price'] as const, { minLength: 1 })
    .map((columns) => ({
      graph: {
        nodes: [source('s', 'raw_trades'), node('out', 'select', { columns: [...columns] })],
        edges: [edge('s', 'out')],
      },
    })),
  fc.constantFrom('INNER', 'LEFT').map((joinType) => ({
    graph: {
      nodes: [
        source('t', 'raw_trades'),
        source('i', 'instruments'),
        node('j', 'join', { join_type: joinType, keys: [{ left: 'symbol', right: 'symbol' }] }),
        count('out', ['sector']),
      ],
      edges: [edge('t', 'j', 'left'), edge('i', 'j', 'right'), edge('j', 'out')],
    },
  })),
  fc.constant({
    graph: { nodes: [source('s', 'instruments'), count('out', ['sector'])], edges: [edge('s', 'out')] },
  }),
  fc.boolean().map((weekend) => ({
    graph: {
      nodes: [
        source('s', 'calendar'),
        node('out', 'filter', { logic: 'AND', conditions: [{ column: 'weekend', op: '=', value: weekend }] }),
      ],
      edges: [edge('s', 'out')],
    },
  })),
);

const lockArb: fc.Arbitrary<GlobalFilters> = fc
  .record(
    {
      symbols: fc.subarray(['AAPL', 'MSFT', 'GOOGL', 'TSLA', 'JPM', 'NONE'], { minLength: 1 }),
      date_from: fc.constantFrom('2026-01-05', '2026-01-06T12:00:00', '2026-01-07'),
      date_to: fc.constantFrom('2026-01-05T23:59:59', '2026-01-06', '2026-01-08'),
    },
    { requiredKeys: [] },
  )
  .filter((lock) => Object.keys(lock).length > 0);

const SCHEMAS: Record<string, { symbol: boolean; time?: string }> = {
  raw_trades: { symbol: true, time: 'event_time' },
  instruments: { symbol: true },
  calendar: { symbol: false, time: 'day' },
};

/** The same graph with the lock as explicit filter nodes after every scan that has the column. */
function filteredByLock(graph: Graph, lock: GlobalFilters): { graph: Graph; applied: Set<string> } {
  const nodes = [...graph.nodes];
  let edges = [...graph.edges];
  const applied = new Set<string>();
  for (const scan of graph.nodes.filter((n) => n.type === 'data_source')) {
    const table = SCHEMAS[(scan.data as { table: string }).table]!;
    const conditions: unknown[] = [];
    if (lock.symbols && table.symbol) {
      conditions.push({ column: 'symbol', op: 'IN', value: lock.symbols });
      applied.add('symbols');
    }
    if (table.time && lock.date_from)
      conditions.push({ column: table.time, op: '>=', value: lock.date_from });
    if (table.time && lock.date_to) conditions.push({ column: table.time, op: '<=', value: lock.date_to });
    if (table.time && (lock.date_from || lock.date_to)) applied.add('dates');
    if (conditions.length === 0) continue;
    const id = `${scan.id}_lock`;
    nodes.push(node(id, 'filter', { logic: 'AND', conditions }));
    edges = edges.map((e) => (e.source === scan.id ? { ...e, id: `${id}->${e.target}`, source: id } : e));
    edges.push(edge(scan.id, id));
  }
  return { graph: { nodes, edges }, applied };
}

const rowsOf = async (graph: Graph, lock?: GlobalFilters) =>
  (
    await runQuery(node_.deps, {
      tenant: 'lock-property',
      acl: NO_ACL,
      graph: parseGraph(graph),
      target: 'out',
      limit: 1000,
      ...(lock ? { lock } : {}),
    })
  ).rows.map((r) => JSON.stringify(r));

function isSubMultiset(small: string[], big: string[]): boolean {
  const counts = new Map<string, number>();
  for (const r of big) counts.set(r, (counts.get(r) ?? 0) + 1);
  return small.every((r) => {
    const n = counts.get(r) ?? 0;
    counts.set(r, n - 1);
    return n > 0;
  });
}

describe('embed locks at the scan (property)', () => {
  it('embed rows ⊆ the same graph filtered by the lock; a lock no scan can carry is refused', async () => {
    let refused = 0;
    let served = 0;
    await fc.assert(
      fc.asyncProperty(tradeShape, lockArb, async ({ graph }, lock) => {
        const reference = filteredByLock(graph, lock);
        const needs = [
          ...(lock.symbols ? ['symbols'] : []),
          ...(lock.date_from || lock.date_to ? ['dates'] : []),
        ];
        const applicable = needs.every((n) => reference.applied.has(n));
        let locked: string[];
        try {
          locked = await rowsOf(graph, lock);
        } catch (err) {
          expect(err).toBeInstanceOf(ApiError);
          expect((err as ApiError).code).toBe('lock_not_applicable');
          expect(applicable).toBe(false);
          refused++;
          return;
        }
        expect(applicable).toBe(true);
        served++;
        expect(isSubMultiset(locked, await rowsOf(reference.graph))).toBe(true);
      }),
      { numRuns: 60, seed: 9 },
    );
    expect(refused).toBeGreaterThan(0);
    expect(served).toBeGreaterThan(refused);
  });
});
