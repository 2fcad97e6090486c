import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import prql from 'prql-js';
import { bench, describe } from 'vitest';
import { compile, type CompileSuccess } from './index.ts';

/**
 * Compile time for 5-, 20- and 100-node graphs, linear chains of 10–500 nodes, and the 20-node linear pipeline next to
 * prql-js (ClickHouse target).
 * Besides vitest's timing table, the module prints a summary with the SELECT blocks / subquery depth of both outputs,
 * and per chain size the time, SQL length and heap allocated per node with their growth from 50 to 500 nodes.
 * `COMPILE_BENCH_BEFORE=<another checkout> npm run bench -- edge/src/workflow/compile.bench.ts` puts that checkout's
 * chain figures beside this tree's, from the same run.
 */
const TRADES = ['trade_id', 'event_time', 'symbol', 'side', 'quantity', 'price', 'fee'];
const catalog = [
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

type Node = { id: string; type: string; data: unknown };
type Edge = { id: string; source: string; target: string; targetHandle?: string };

/** `pairs` formula → filter steps: c0 = price * 2, filter c0 > 0, c1 = c0 + 1, filter c1 > 1, … */
function derivedChain(prefix: string, table: string, pairs: number, base: string): Node[] {
  const nodes: Node[] = [{ id: `${prefix}src`, type: 'data_source', data: { database: 'market', table } }];
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

const link = (nodes: readonly Node[]): Edge[] =>
  nodes.slice(1).map((n, i) => ({ id: `${nodes[i]!.id}->${n.id}`, source: nodes[i]!.id, target: n.id }));

function graphOf(nodes: Node[], edges: Edge[], target: string, size: number) {
  if (nodes.length !== size) throw new Error(`expected ${size} nodes, built ${nodes.length}`);
  return { graph: { nodes: nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })), edges }, target };
}

const five = (() => {
  const nodes: Node[] = [
    { id: 'src', type: 'data_source', data: { database: 'market', table: 'trades' } },
    {
      id: 'f',
      type: 'filter',
      data: { logic: 'AND', conditions: [{ column: 'price', op: '>', value: 100 }] },
    },
    { id: 's', type: 'select', data: { columns: ['trade_id', 'symbol', 'price'] } },
    { id: 'o', type: 'sort', data: { sorts: [{ column: 'price', direction: 'DESC' }] } },
    { id: 'tv', type: 'table_view', data: { page: 0, page_size: 50 } },
  ];
  return graphOf(nodes, link(nodes), 'tv', 5);
})();

/** data_source + 9 × (formula, filter) + sort: the pipeline PRQL gets too. */
const twenty = (() => {
  const nodes = [
    ...derivedChain('', 'trades', 9, 'price'),
    { id: 'o', type: 'sort', data: { sorts: [{ column: 'c8', direction: 'DESC' }] } },
  ];
  return graphOf(nodes, link(nodes), 'o', 20);
})();

const twentyPrql = [
  'from market.trades',
  ...Array.from({ length: 9 }, (_, i) => [
    `derive {c${i} = ${i === 0 ? 'price * 2' : `c${i - 1} + ${i}`}}`,
    `filter c${i} > ${i}`,
  ]).flat(),
  'sort {-c8}',
].join('\n');

/** Two 47-node derive/filter chains joined, then aggregated, filtered on the aggregate, sorted, shown: 100 nodes. */
const hundred = (() => {
  const left = derivedChain('l', 'trades', 23, 'price');
  const right = derivedChain('r', 'instruments', 23, 'lot_size');
  const tail: Node[] = [
    { id: 'j', type: 'join', data: { join_type: 'INNER', keys: [{ left: 'symbol', right: 'symbol' }] } },
    {
      id: 'g',
      type: 'group_by',
      data: {
        group_by: ['sector'],
        aggregations: [
          { function: 'sum', column: 'lc22' },
          { function: 'max', column: 'rc22' },
        ],
      },
    },
    {
      id: 'h',
      type: 'filter',
      data: { logic: 'AND', conditions: [{ column: 'sum_lc22', op: '>', value: 1000 }] },
    },
    { id: 'o', type: 'sort', data: { sorts: [{ column: 'sum_lc22', direction: 'DESC' }] } },
    { id: 'b', type: 'bar_chart', data: { x: 'sector', y: ['sum_lc22', 'max_rc22'] } },
    { id: 'tv', type: 'table_view', data: {} },
  ];
  const edges = [
    ...link(left),
    ...link(right),
    { id: 'lj', source: left.at(-1)!.id, target: 'j', targetHandle: 'left' },
    { id: 'rj', source: right.at(-1)!.id, target: 'j', targetHandle: 'right' },
    ...link(tail.slice(0, 5)),
  ];
  edges.push({ id: 'otv', source: 'o', target: 'tv' });
  return graphOf([...left, ...right, ...tail], edges, 'b', 100);
})();

function compiled(graph: unknown, target: string): CompileSuccess {
  const result = compile(graph, target, { catalog, dialect: 'clickhouse' });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

const prqlOptions = new prql.CompileOptions();
prqlOptions.target = 'sql.clickhouse';
prqlOptions.signature_comment = false;
const compilePrql = (): string => prql.compile(twentyPrql, prqlOptions)!;

/** SELECT blocks, subqueries nested in FROM (max depth) and CTEs of a query. */
function shape(sql: string): { selects: number; depth: number; ctes: number } {
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

/** data_source then alternating formula/filter steps (`c0 = [price] * 2`, `c(i) = [c(i-1)] + i`, `filter c(i) > i`). */
function linearChain(size: number) {
  const nodes = derivedChain('', 'trades', Math.ceil((size - 1) / 2), 'price').slice(0, size);
  return graphOf(nodes, link(nodes), nodes.at(-1)!.id, size);
}

/**
 * Compiles per sample so that every size does the same work (≥ BATCH_NODES nodes): one call's median leaves out the
 * young-generation collections that most calls of a small graph miss and most of a large one pay, so per-call
 * medians compare sizes unevenly; a batch pays its share of collections at every size.
 */
const BATCH_NODES = 5_000;
const batchOf = (run: () => unknown, size: number) => {
  const calls = Math.ceil(BATCH_NODES / size);
  return () => {
    for (let i = 0; i < calls; i++) run();
  };
};

/** Per-node growth from 50 to 500 nodes that still reads as linear (allocation and GC make 1.0 unreachable). */
const LINEAR_WITHIN = 1.3;

/** Identifiers (quoted or not), numbers and punctuation: SQL length without the width of generated names. */
const sqlTokens = (sql: string): number => sql.match(/`[^`]*`|"[^"]*"|\w+|[^\s\w]/g)?.length ?? 0;

/**
 * Bytes allocated per call of `run`: V8's sampling heap profiler, counting objects the collector has freed since
 * (what young-generation collections are paid for), averaged over `iterations` calls.
 */
async function allocatedBytes(run: () => unknown, iterations: number): Promise<number> {
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
 * Median CPU time of `run` in µs. The machine is shared (load average often > 10 on 2 cores): wall time then measures
 * the scheduler, while the process's CPU time still measures the compiler (GC threads included).
 */
function medianCpuMicros(run: () => unknown, iterations: number): number {
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

const summaryRows: [name: string, run: () => string, iterations: number][] = [
  ['5-node pipeline', () => compiled(five.graph, five.target).sql, 2_000],
  ['20-node linear pipeline', () => compiled(twenty.graph, twenty.target).sql, 2_000],
  ['prql-js 0.12, the same 20-node pipeline', compilePrql, 30],
  ['100 nodes (join of two 47-node chains)', () => compiled(hundred.graph, hundred.target).sql, 100],
];
const loadBefore = loadavg();
const measured = summaryRows.map(([name, run, iterations]) => {
  const sql = run();
  return { name, micros: medianCpuMicros(run, iterations), sql, ...shape(sql) };
});
const micros = (name: string) => measured.find((m) => m.name === name)!.micros;
const ratio = micros('prql-js 0.12, the same 20-node pipeline') / micros('20-node linear pipeline');

/**
 * Growth on linear chains, for this tree and, with `COMPILE_BENCH_BEFORE=<checkout>`, for another checkout's compiler
 * in the same process (sizes alternate between the two, so both see the same machine and heap).
 */
const CHAIN_SIZES = [10, 20, 50, 100, 200, 500];
const trees: { label: string; compile: typeof compile }[] = [{ label: 'this tree', compile }];
const before = process.env.COMPILE_BENCH_BEFORE;
if (before) {
  const other = pathToFileURL(join(before, 'edge/src/workflow/index.ts')).href;
  trees.unshift({
    label: `before (${before})`,
    compile: ((await import(other)) as { compile: typeof compile }).compile,
  });
}

interface ChainFigures {
  size: number;
  micros: number;
  batchMicrosPerNode: number;
  sqlChars: number;
  sqlTokens: number;
  allocated: number;
  selects: number;
}

const chains = new Map<string, ChainFigures[]>(trees.map((t) => [t.label, []]));
for (const size of CHAIN_SIZES) {
  const chain = linearChain(size);
  for (const tree of trees) {
    const run = () => {
      const result = tree.compile(chain.graph, chain.target, { catalog, dialect: 'clickhouse' });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.sql;
    };
    const sql = run();
    chains.get(tree.label)!.push({
      size,
      micros: medianCpuMicros(run, size >= 200 ? 60 : 300),
      batchMicrosPerNode: medianCpuMicros(batchOf(run, size), 15) / (Math.ceil(BATCH_NODES / size) * size),
      sqlChars: sql.length,
      sqlTokens: sqlTokens(sql),
      allocated: await allocatedBytes(run, size >= 200 ? 20 : 100),
      selects: shape(sql).selects,
    });
  }
}

const perNode = (value: number, size: number, digits = 1) => (value / size).toFixed(digits);
const growth = (figures: ChainFigures[], of: (f: ChainFigures) => number): number => {
  const at = (size: number) => figures.find((f) => f.size === size)!;
  return of(at(500)) / 500 / (of(at(50)) / 50);
};
const chainTable = [
  `| nodes | ${trees.map((t) => `${t.label}: median CPU µs | µs per node | µs per node, batches | SQL chars per node | SQL tokens per node | kB allocated per node | SELECTs`).join(' | ')} |`,
  `|---:|${trees.map(() => '---:|---:|---:|---:|---:|---:|---:').join('|')}|`,
  ...CHAIN_SIZES.map((size, i) => {
    const cells = trees.map((t) => {
      const f = chains.get(t.label)![i]!;
      return [
        f.micros,
        perNode(f.micros, size),
        f.batchMicrosPerNode.toFixed(1),
        perNode(f.sqlChars, size),
        perNode(f.sqlTokens, size),
        perNode(f.allocated / 1024, size),
        f.selects,
      ].join(' | ');
    });
    return `| ${size} | ${cells.join(' | ')} |`;
  }),
];
const growthLines = trees.map((t) => {
  const figures = chains.get(t.label)!;
  const time = growth(figures, (f) => f.micros);
  const batchTime = growth(figures, (f) => f.batchMicrosPerNode * f.size);
  const chars = growth(figures, (f) => f.sqlChars);
  const tokens = growth(figures, (f) => f.sqlTokens);
  const allocated = growth(figures, (f) => f.allocated);
  const verdict = batchTime <= LINEAR_WITHIN && tokens <= LINEAR_WITHIN ? 'linear' : 'NOT linear';
  return `- ${t.label}: per-node figure at 500 nodes ÷ at 50 nodes — time ${batchTime.toFixed(2)}× in batches (${time.toFixed(2)}× per-call median), SQL chars ${chars.toFixed(2)}×, SQL tokens ${tokens.toFixed(2)}×, heap allocated ${allocated.toFixed(2)}× → **${verdict}** (within ${LINEAR_WITHIN}×).`;
});

const section = [
  '## Compile (`edge/src/workflow/compile.bench.ts`)',
  '',
  'Median CPU time per compile (ClickHouse target, `process.cpuUsage`, so other work on the shared machine does not',
  'count), SQL printed. Goals (issue 8): 20-node chain < 200 µs and ≥ 100× faster than prql-js; time and SQL length',
  'linear in the chain; 500 nodes < 50 ms.',
  '',
  '| compile | median CPU µs | µs per node | SQL chars | SELECT blocks | subquery depth | CTEs |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...measured.map((m) => {
    const nodes = /(\d+)[- ]node/.exec(m.name)?.[1];
    const perNodeMicros = nodes && !m.name.startsWith('prql') ? (m.micros / Number(nodes)).toFixed(1) : '—';
    return `| ${m.name} | ${m.micros} | ${perNodeMicros} | ${m.sql.length} | ${m.selects} | ${m.depth} | ${m.ctes} |`;
  }),
  '',
  `flowforge compiles the 20-node pipeline ${Math.round(ratio)}× faster than prql-js (medians of this run).`,
  '',
  'Linear formula → filter chains (`c0 = [price] * 2`, `c(i) = [c(i-1)] + i`, each followed by `Filter c(i) > i`).',
  `µs per node, batches = median CPU of batches of compiles of ≥ ${BATCH_NODES.toLocaleString('en-US')} nodes in all, so every size`,
  'pays its share of garbage collection (a single call of a small graph mostly misses the young-generation',
  "collections a large one mostly pays). Heap allocated = V8's sampling heap profiler over repeated compiles, objects",
  'collected since included. SQL tokens = identifiers, words, numbers and punctuation: generated names and literals',
  'get a digit longer every ×10 nodes, so chars per node creep up while tokens per node do not.',
  '',
  ...chainTable,
  '',
  ...growthLines,
  '',
  `Machine load (1-minute average, 2 cores): ${loadBefore[0]!.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after.`,
  '',
].join('\n');
const sections = new URL('../../../bench/sections/', import.meta.url);
mkdirSync(sections, { recursive: true });
writeFileSync(new URL('compile.md', sections), section);
console.info(section);

/** Bench names carry the output's shape, so `npm run bench` (bench/results.md) records it next to the times. */
const shaped = (label: string, sql: string): string => {
  const { selects, depth, ctes } = shape(sql);
  return `${label} → ${selects} SELECT, subquery depth ${depth}, ${ctes} CTE`;
};

describe('compile', () => {
  bench(shaped('5-node pipeline', compiled(five.graph, five.target).sql), () => {
    compiled(five.graph, five.target);
  });
  bench(shaped('100-node graph (perNode SQL included)', compiled(hundred.graph, hundred.target).sql), () => {
    compiled(hundred.graph, hundred.target);
  });
});

describe('linear formula → filter chains (time and SQL length should grow linearly)', () => {
  for (const size of [10, 50, 100, 200, 500]) {
    const chain = linearChain(size);
    const sql = compiled(chain.graph, chain.target).sql;
    bench(`${shaped(`${size} nodes`, sql)}, ${sql.length} SQL chars`, () => {
      compiled(chain.graph, chain.target);
    });
  }
});

describe('20-node linear pipeline: flowforge vs prql-js', () => {
  bench(shaped('flowforge compile', compiled(twenty.graph, twenty.target).sql), () => {
    compiled(twenty.graph, twenty.target);
  });
  bench(shaped('prql-js compile (sql.clickhouse)', compilePrql()), () => {
    compilePrql();
  });
});
