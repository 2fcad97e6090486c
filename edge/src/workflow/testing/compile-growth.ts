import { Session } from 'node:inspector/promises';
import type { compile } from '../index.ts';

/**
 * What `compile.bench.ts` measures, in a module of its own so that the bench can bundle it with another checkout's
 * compiler and run it in a fresh process (`chainFiguresIn`): the graphs, the catalog and the per-size measurement.
 */
const TRADES = ['trade_id', 'event_time', 'symbol', 'side', 'quantity', 'price', 'fee'];
export const BENCH_CATALOG = [
  {
    database: 'market',
    table: 'trades',
    store: 'clickhouse',
    columns: TRADES.map((name) => ({
      name,
      type:
        name === 'event_time'
          ? 'datetime'
          : ['quantity', 'price'].includes(name)
            ? 'decimal(18,6)'
            : name === 'fee'
              ? 'float64'
              : 'string',
    })),
  },
  {
    database: 'market',
    table: 'instruments',
    store: 'clickhouse',
    columns: [
      { name: 'symbol', type: 'string' },
      { name: 'sector', type: 'string' },
      { name: 'lot_size', type: 'int64' },
    ],
  },
];

export type BenchNode = { id: string; type: string; data: unknown };
export type BenchEdge = { id: string; source: string; target: string; targetHandle?: string };

/** `pairs` formula → filter steps: c0 = price * 2, filter c0 > 0, c1 = c0 + 1, filter c1 > 1, … */
export function derivedChain(prefix: string, table: string, pairs: number, base: string): BenchNode[] {
  const nodes: BenchNode[] = [
    { id: `${prefix}src`, type: 'data_source', data: { database: 'market', table } },
  ];
  for (let i = 0; i < pairs; i++) {
    const name = `${prefix}c${i}`;
    nodes.push({
      id: `${prefix}fx${i}`,
      type: 'formula',
      data: { formulas: [{ name, expression: i === 0 ? `[${base}] * 2` : `[${prefix}c${i - 1}] + ${i}` }] },
    });
    nodes.push({
      id: `${prefix}f${i}`,
      type: 'filter',
      data: { logic: 'AND', conditions: [{ column: name, op: '>', value: i }] },
    });
  }
  return nodes;
}

export const link = (nodes: readonly BenchNode[]): BenchEdge[] =>
  nodes.slice(1).map((n, i) => ({ id: `${nodes[i]!.id}->${n.id}`, source: nodes[i]!.id, target: n.id }));

export function graphOf(nodes: BenchNode[], edges: BenchEdge[], target: string, size: number) {
  if (nodes.length !== size) throw new Error(`expected ${size} nodes, built ${nodes.length}`);
  return { graph: { nodes: nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })), edges }, target };
}

/** data_source then alternating formula/filter steps (`c0 = [price] * 2`, `c(i) = [c(i-1)] + i`, `filter c(i) > i`). */
export function linearChain(size: number) {
  const nodes = derivedChain('', 'trades', Math.ceil((size - 1) / 2), 'price').slice(0, size);
  return graphOf(nodes, link(nodes), nodes.at(-1)!.id, size);
}

/** SELECT blocks, subqueries nested in FROM (max depth) and CTEs of a query. */
export function shape(sql: string): { selects: number; depth: number; ctes: number } {
  let depth = 0;
  let max = 0;
  const stack: boolean[] = [];
  for (const token of sql.match(/\(\s*SELECT\b|\(|\)/g) ?? []) {
    if (token === ')') {
      if (stack.pop()) depth--;
    } else {
      const isSubquery = token !== '(';
      stack.push(isSubquery);
      if (isSubquery) max = Math.max(max, ++depth);
    }
  }
  const ctes = sql.match(/\b\w+ AS \(\s*SELECT\b/g)?.length ?? 0;
  return { selects: sql.match(/\bSELECT\b/g)?.length ?? 0, depth: max, ctes };
}

/** Identifiers (quoted or not), numbers and punctuation: SQL length without the width of generated names. */
export const sqlTokens = (sql: string): number => sql.match(/`[^`]*`|"[^"]*"|\w+|[^\s\w]/g)?.length ?? 0;

/**
 * Median CPU time of `run` in µs. The machine is shared (load average often > 10 on 2 cores): wall time then measures
 * the scheduler, while the process's CPU time still measures the compiler (GC threads included).
 */
export function medianCpuMicros(run: () => unknown, iterations: number): number {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.cpuUsage();
    run();
    const spent = process.cpuUsage(start);
    times.push(spent.user + spent.system);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Bytes allocated per call of `run`: V8's sampling heap profiler, counting objects the collector has freed since
 * (what young-generation collections are paid for), averaged over `iterations` calls.
 */
export async function allocatedBytes(run: () => unknown, iterations: number): Promise<number> {
  const session = new Session();
  session.connect();
  const sampling = {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  };
  await session.post('HeapProfiler.startSampling', sampling);
  for (let i = 0; i < iterations; i++) run();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  let total = 0;
  const stack = [profile.head];
  for (let node = stack.pop(); node; node = stack.pop()) {
    total += node.selfSize;
    stack.push(...node.children);
  }
  return total / iterations;
}

/**
 * Compiles per sample so that every size does the same work (≥ BATCH_NODES nodes): one call's median leaves out the
 * young-generation collections that most calls of a small graph miss and most of a large one pay, so per-call
 * medians compare sizes unevenly; a batch pays its share of collections at every size.
 */
export const BATCH_NODES = 5_000;

export interface ChainFigures {
  size: number;
  /** Median CPU µs of one compile. */
  micros: number;
  /** Median CPU µs per node over batches of compiles of ≥ BATCH_NODES nodes. */
  batchMicrosPerNode: number;
  sqlChars: number;
  sqlTokens: number;
  /** Bytes allocated per compile. */
  allocated: number;
  selects: number;
}

/** The figures of one linear chain compiled by `compileWith` (ClickHouse target, SQL printed). */
export async function measureChain(compileWith: typeof compile, size: number): Promise<ChainFigures> {
  const chain = linearChain(size);
  const run = () => {
    const result = compileWith(chain.graph, chain.target, { catalog: BENCH_CATALOG, dialect: 'clickhouse' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.sql;
  };
  const sql = run();
  const calls = Math.ceil(BATCH_NODES / size);
  const batch = () => {
    for (let i = 0; i < calls; i++) run();
  };
  // Warm-up of equal work at every size: the optimizing compiler has seen the shapes, and V8 has grown the young
  // generation from its small start (in a fresh process every call of a large graph would pay collections).
  for (let i = 0; i < 5; i++) batch();
  const batchMicrosPerNode = medianCpuMicros(batch, 15) / (calls * size);
  return {
    size,
    micros: medianCpuMicros(run, size >= 200 ? 60 : 300),
    batchMicrosPerNode,
    sqlChars: sql.length,
    sqlTokens: sqlTokens(sql),
    allocated: await allocatedBytes(run, size >= 200 ? 20 : 100),
    selects: shape(sql).selects,
  };
}
