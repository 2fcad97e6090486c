// What the total row count costs a preview (issue 11): the embedded mode (DuckDB, 655 000 seeded trades) on a fresh
// data directory, previews and table pages over the tape re-run with `refresh` so each one reaches the engine. The
// `count` phase of Server-Timing is the cost (it runs after the rows, only when they are cut); `engine` is the rows.
//
//   npx tsx scripts/preview-total-bench.ts [--runs 20]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from './stack-lib/free-port.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '..');

const node = (id: string, type: string, data: unknown) => ({ id, type, position: { x: 0, y: 0 }, data });
const edge = (source: string, target: string) => ({ id: `${source}->${target}`, source, target });
const tape = node('src', 'data_source', { database: 'flowforge', table: 'raw_trades' });
const aapl = node('flt', 'filter', {
  logic: 'AND',
  conditions: [{ column: 'symbol', op: '=', value: 'AAPL' }],
});
const byPrice = node('srt', 'sort', { sorts: [{ column: 'price', direction: 'DESC' }] });
const perSymbol = node('grp', 'group_by', {
  group_by: ['symbol', 'side'],
  aggregations: [{ function: 'sum', column: 'quantity', alias: 'volume' }],
});

const CASES: { name: string; path: string; body: Record<string, unknown> }[] = [
  {
    name: 'tape (scan)',
    path: '/api/v1/preview',
    body: { graph: { nodes: [tape], edges: [] }, target_node_id: 'src' },
  },
  {
    name: 'tape → filter AAPL',
    path: '/api/v1/preview',
    body: { graph: { nodes: [tape, aapl], edges: [edge('src', 'flt')] }, target_node_id: 'flt' },
  },
  {
    name: 'tape → sort by price',
    path: '/api/v1/preview',
    body: { graph: { nodes: [tape, byPrice], edges: [edge('src', 'srt')] }, target_node_id: 'srt' },
  },
  {
    name: 'tape → group by (untruncated: no count)',
    path: '/api/v1/preview',
    body: { graph: { nodes: [tape, perSymbol], edges: [edge('src', 'grp')] }, target_node_id: 'grp' },
  },
  {
    name: 'table page 3, filter AAPL',
    path: '/api/v1/table',
    body: { graph: { nodes: [tape, aapl], edges: [edge('src', 'flt')] }, target_node_id: 'flt', page: 3 },
  },
];

const timing = (header: string | null, name: string) =>
  Number(new RegExp(`(?:^|,\\s*)${name};dur=([\\d.]+)`).exec(header ?? '')?.[1] ?? 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const dataDir = mkdtempSync(join(tmpdir(), 'ff-total-bench-'));
const port = await freePort();
const child = spawn('npm', ['start', '--', '--port', String(port), '--data-dir', dataDir], {
  cwd: root,
  detached: true,
  stdio: 'ignore',
});
try {
  const deadline = Date.now() + 600_000;
  while (
    !(await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('npm start did not come up');
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(
    `load at start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${runs} runs per case, medians`,
  );
  console.log('| case | total_rows | engine (rows) ms | count ms | server total ms |');
  console.log('|---|---|---|---|---|');
  for (const c of CASES) {
    const engine: number[] = [];
    const count: number[] = [];
    const total: number[] = [];
    let rows: unknown;
    for (let i = 0; i < runs; i++) {
      const res = await fetch(`http://127.0.0.1:${port}${c.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...c.body, refresh: true }),
      });
      if (!res.ok) throw new Error(`${c.name}: ${res.status} ${await res.text()}`);
      rows = ((await res.json()) as { total_rows: unknown }).total_rows;
      const header = res.headers.get('server-timing');
      engine.push(timing(header, 'engine'));
      count.push(timing(header, 'count'));
      total.push(timing(header, 'total'));
    }
    console.log(
      `| ${c.name} | ${String(rows)} | ${median(engine).toFixed(1)} | ${median(count).toFixed(1)} | ${median(total).toFixed(1)} |`,
    );
  }
  console.log(
    `load at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  process.kill(-child.pid!, 'SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  rmSync(dataDir, { recursive: true, force: true });
}
