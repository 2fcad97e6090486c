// Compiled SQL vs the SQL a person would write for the same answer, typed the same way (formulas compute in DOUBLE),
// (issue 16: keep the ratio within 0.9–1.1), on
// DuckDB over the embedded mode's default tape (~655 000 trades). Five graph shapes; each pair runs alternately so
// load from other processes hits both alike; the ratio is median(compiled) / median(hand-written).
//
//   npx tsx scripts/compiled-sql-bench.ts [--runs 25]
//
// Exits 1 when a ratio leaves 0.9–1.1. Table to stdout and into bench/results.md.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { writeSectionsInto } from './bench-results.ts';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seedMarket } from '../dataplane/src/embedded/duckdb-market.ts';
import { DuckDBCatalogSource } from '../edge/src/adapters/duckdb/index.ts';
import { edge, node } from '../edge/src/test-support/graphs.ts';
import { compile } from '../edge/src/workflow/index.ts';

const root = resolve(import.meta.dirname, '..');
const LIMIT = 1000;

interface Shape {
  name: string;
  graph: { nodes: unknown[]; edges: unknown[] };
  target: string;
  hand: string;
}

const trades = node('src', 'data_source', { database: 'flowforge', table: 'raw_trades' });
const SHAPES: Shape[] = [
  {
    name: 'filter → select → sort (one symbol, big trades, newest first)',
    graph: {
      nodes: [
        trades,
        node('flt', 'filter', {
          logic: 'AND',
          conditions: [
            { column: 'symbol', op: '=', value: 'AAPL' },
            { column: 'quantity', op: '>=', value: 100 },
          ],
        }),
        node('sel', 'select', { columns: ['trade_id', 'event_time', 'price', 'quantity'] }),
        node('srt', 'sort', { sorts: [{ column: 'event_time', direction: 'DESC' }] }),
      ],
      edges: [edge('src', 'flt'), edge('flt', 'sel'), edge('sel', 'srt')],
    },
    target: 'srt',
    hand: `SELECT trade_id, event_time, price, quantity FROM flowforge.raw_trades
      WHERE symbol = 'AAPL' AND quantity >= 100 ORDER BY event_time DESC LIMIT ${LIMIT + 1}`,
  },
  {
    name: 'group by symbol (count, sum, avg)',
    graph: {
      nodes: [
        trades,
        node('grp', 'group_by', {
          group_by: ['symbol'],
          aggregations: [
            { function: 'count', column: '*', alias: 'trades' },
            { function: 'sum', column: 'quantity', alias: 'volume' },
            { function: 'avg', column: 'price', alias: 'avg_price' },
          ],
        }),
      ],
      edges: [edge('src', 'grp')],
    },
    target: 'grp',
    hand: `SELECT symbol, count(*) AS trades, sum(quantity) AS volume, avg(price) AS avg_price
      FROM flowforge.raw_trades GROUP BY symbol ORDER BY symbol LIMIT ${LIMIT + 1}`,
  },
  {
    name: 'join instruments → group by sector',
    graph: {
      nodes: [
        trades,
        node('ins', 'data_source', { database: 'marts', table: 'dim_instruments' }),
        node('j', 'join', { join_type: 'INNER', keys: [{ left: 'symbol', right: 'symbol' }] }),
        node('grp', 'group_by', {
          group_by: ['sector'],
          aggregations: [{ function: 'sum', column: 'notional', alias: 'notional' }],
        }),
      ],
      edges: [edge('src', 'j', 'left'), edge('ins', 'j', 'right'), edge('j', 'grp')],
    },
    target: 'grp',
    hand: `SELECT i.sector, sum(t.notional) AS notional
      FROM flowforge.raw_trades t JOIN marts.dim_instruments i ON t.symbol = i.symbol
      GROUP BY i.sector ORDER BY i.sector LIMIT ${LIMIT + 1}`,
  },
  {
    name: 'formula → filter → group by (buy notional in thousands)',
    graph: {
      nodes: [
        trades,
        node('f', 'formula', { formulas: [{ name: 'notional_k', expression: '[notional] / 1000' }] }),
        node('flt', 'filter', { logic: 'AND', conditions: [{ column: 'side', op: '=', value: 'BUY' }] }),
        node('grp', 'group_by', {
          group_by: ['symbol'],
          aggregations: [{ function: 'sum', column: 'notional_k', alias: 'buy_k' }],
        }),
      ],
      edges: [edge('src', 'f'), edge('f', 'flt'), edge('flt', 'grp')],
    },
    target: 'grp',
    hand: `SELECT symbol, sum(notional::DOUBLE / 1000) AS buy_k FROM flowforge.raw_trades WHERE side = 'BUY'
      GROUP BY symbol ORDER BY symbol LIMIT ${LIMIT + 1}`,
  },
  {
    name: 'group by symbol, side → sort by range (max − min price)',
    graph: {
      nodes: [
        trades,
        node('grp', 'group_by', {
          group_by: ['symbol', 'side'],
          aggregations: [
            { function: 'max', column: 'price', alias: 'high' },
            { function: 'min', column: 'price', alias: 'low' },
          ],
        }),
        node('f', 'formula', { formulas: [{ name: 'range', expression: '[high] - [low]' }] }),
        node('srt', 'sort', { sorts: [{ column: 'range', direction: 'DESC' }] }),
      ],
      edges: [edge('src', 'grp'), edge('grp', 'f'), edge('f', 'srt')],
    },
    target: 'srt',
    hand: `SELECT symbol, side, max(price) AS high, min(price) AS low, max(price)::DOUBLE - min(price)::DOUBLE AS range
      FROM flowforge.raw_trades GROUP BY symbol, side ORDER BY range DESC LIMIT ${LIMIT + 1}`,
  },
];

async function timeMs(connection: DuckDBConnection, sql: string): Promise<number> {
  const started = performance.now();
  await connection.runAndReadAll(sql);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '25' } } });
  const runs = Number(values.runs);
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  await seedMarket(connection);
  const catalog = await new DuckDBCatalogSource(instance).discover();
  const rows: string[] = [];
  let failed = false;
  for (const shape of SHAPES) {
    const compiled = compile(shape.graph, shape.target, { catalog, limit: LIMIT + 1 });
    if (!compiled.ok) throw new Error(`${shape.name}: ${JSON.stringify(compiled.errors)}`);
    const a: number[] = [];
    const b: number[] = [];
    for (let warm = 0; warm < 2; warm++) {
      await timeMs(connection, compiled.sql);
      await timeMs(connection, shape.hand);
    }
    for (let i = 0; i < runs; i++) {
      a.push(await timeMs(connection, compiled.sql));
      b.push(await timeMs(connection, shape.hand));
    }
    const ratio = median(a) / median(b);
    const ok = ratio >= 0.9 && ratio <= 1.1;
    failed ||= !ok;
    rows.push(
      `| ${shape.name} | ${median(a).toFixed(2)} | ${median(b).toFixed(2)} | ${ratio.toFixed(2)}${ok ? '' : ' ✗'} |`,
    );
    console.log(rows.at(-1));
  }
  connection.closeSync();
  instance.closeSync();
  const lines = [
    '## Compiled vs hand-written SQL (`scripts/compiled-sql-bench.ts`)',
    '',
    `Measured ${new Date().toISOString()}, load average ${loadavg()[0]!.toFixed(1)}; DuckDB (2 threads) over the default`,
    `tape; median of ${runs} alternating runs each. Guard: every ratio within 0.9–1.1 (✗ = outside; the script exits 1).`,
    '',
    '| shape | compiled (ms) | hand-written (ms) | ratio |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
  ];
  writeSectionsInto(join(root, 'bench', 'results.md'), [lines.join('\n')]);
  console.log(lines.join('\n'));
  if (failed) process.exit(1);
}

await main();
