// The preview path measured from outside, as a user's browser or a load balancer sees it (issue 16): one or more
// checkouts side by side in ONE run on this machine, so "before" and "after" compare under the same load.
//
//   npx tsx scripts/preview-path-bench.ts [--tree label=DIR]… [--trades N] [--skip-stack]
//
// Default: this checkout only, labelled "this tree". Each tree is started with its own `npm start` (embedded mode,
// DuckDB) on a fresh data directory, then with `npm start -w edge` on the shared stack (ClickHouse, Upstash REST,
// PostgreSQL through the Neon proxy). The table goes to stdout and into bench/results.md (between its markers).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stackEnv, stackWorkerVars } from '../edge/src/test-support/stack.ts';
import { startWorkerd } from '../edge/src/test-support/workerd.ts';
import { writeSectionsInto } from './bench-results.ts';
import { freePort } from './stack-lib/free-port.ts';

const root = resolve(import.meta.dirname, '..');

const node = (id: string, type: string, data: unknown) => ({ id, type, position: { x: 0, y: 0 }, data });
const edge = (source: string, target: string) => ({ id: `${source}->${target}`, source, target });

/** A 4-node canvas preview over a table no simulator step touches, so every repeat is a cache hit. */
const HIT_GRAPH = {
  nodes: [
    node('src', 'data_source', { database: 'marts', table: 'dim_instruments' }),
    node('flt', 'filter', { logic: 'AND', conditions: [{ column: 'lot_size', op: '>', value: 0 }] }),
    node('sel', 'select', { columns: ['symbol', 'name', 'sector', 'exchange'] }),
    node('srt', 'sort', { sorts: [{ column: 'symbol', direction: 'ASC' }] }),
  ],
  edges: [edge('src', 'flt'), edge('flt', 'sel'), edge('sel', 'srt')],
};
const hitTarget = { graph: HIT_GRAPH, target_node_id: 'srt', limit: 100 };

/** Per-symbol totals over the whole tape: an engine query of tens of ms, re-run with a new limit for every miss. */
const MISS_GRAPH = {
  nodes: [
    node('src', 'data_source', { database: 'flowforge', table: 'raw_trades' }),
    node('grp', 'group_by', {
      group_by: ['symbol'],
      aggregations: [
        { function: 'count', column: '*', alias: 'trades' },
        { function: 'sum', column: 'quantity', alias: 'volume' },
      ],
    }),
    node('srt', 'sort', { sorts: [{ column: 'symbol', direction: 'ASC' }] }),
  ],
  edges: [edge('src', 'grp'), edge('grp', 'srt')],
};

/**
 * A miss of the size (its measurement: an 18 ms DuckDB query, a 31 ms ClickHouse one), so the overhead's share is
 * shown for both a small and a realistic query. Both engines read the same 655 k-trade tape (the embedded seed; the
 * bench seeds the stack's ClickHouse with the pipeline's, which is the same generator), but run at different speeds:
 * per symbol and side, four aggregates on ClickHouse (~30 ms) and the same plus two distinct counts on DuckDB (~18 ms).
 */
const a = (fn: string, column: string, alias: string) => ({ function: fn, column, alias });
const FOUR_AGGREGATES = [
  a('count', '*', 'trades'),
  a('sum', 'quantity', 'volume'),
  a('avg', 'price', 'avg_price'),
  a('sum', 'notional', 'notional'),
];
const perSymbolAndSide = (aggregations: unknown[]) => ({
  nodes: [
    node('src', 'data_source', { database: 'flowforge', table: 'raw_trades' }),
    node('grp', 'group_by', { group_by: ['symbol', 'side'], aggregations }),
    node('srt', 'sort', { sorts: [{ column: 'symbol', direction: 'ASC' }] }),
  ],
  edges: [edge('src', 'grp'), edge('grp', 'srt')],
});
const HEAVY_MISS_GRAPHS = {
  duckdb: perSymbolAndSide([
    ...FOUR_AGGREGATES,
    a('count_distinct', 'quantity', 'sizes'),
    a('count_distinct', 'side', 'sides'),
  ]),
  clickhouse: perSymbolAndSide(FOUR_AGGREGATES),
};

/** Cache misses per query and path: enough for a stable median at a few seconds each. */
const MISSES = 40;
/** Refreshes of one request: no waiting between them, so a few seconds give a stable median. */
const REFRESHES = 30;

interface Reply {
  status: number;
  body: string;
  serverTiming: string | undefined;
  /** The HTTP floor's bare server: how long it waited before answering (ms). */
  waited: string | undefined;
  ms: number;
}

function post(agent: Agent, port: number, path: string, payload: string, headers: Record<string, string>) {
  return new Promise<Reply>((done, fail) => {
    const started = performance.now();
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            serverTiming: res.headers['server-timing'] as string | undefined,
            waited: res.headers['x-waited'] as string | undefined,
            ms: performance.now() - started,
          }),
        );
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const median = (xs: number[]) => pct(xs, 50);
const load = () => loadavg()[0]!.toFixed(1);

/** `total;dur=0.42` in a Server-Timing header → 0.42. */
function timingOf(header: string | undefined, name: string): number | undefined {
  const entry = header?.split(',').find((e) => e.trim().split(';')[0] === name);
  const dur = entry && /dur=([\d.]+)/.exec(entry)?.[1];
  return dur ? Number(dur) : undefined;
}

/** `pid` and every process under it. */
function processTree(pid: number): number[] {
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  };
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]!));
  return all;
}

/** The process tree under `pid` (npm → sh → node): the largest resident set is the server. */
function serverProcess(pid: number): { pid: number; rssMb: number } {
  const rss = processTree(pid).map((p) => {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
      return { pid: p, rssMb: kb ? Number(kb) / 1024 : 0 };
    } catch {
      return { pid: p, rssMb: 0 };
    }
  });
  return rss.reduce((a, b) => (b.rssMb > a.rssMb ? b : a));
}
const serverRssMb = (pid: number) => serverProcess(pid).rssMb;

/** User + system CPU seconds the process has used (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Started {
  child: ChildProcess;
  readyMs: number;
  log: () => string;
}

async function startAndWait(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<Started> {
  const started = performance.now();
  const child = spawn('npm', args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: 'pipe' });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = started + 600_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} in ${cwd} exited:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { child, readyMs: performance.now() - started, log: () => output };
    await new Promise((r) => setTimeout(r, 50));
  }
  stop(child);
  throw new Error(`${args.join(' ')} in ${cwd} not ready after 10 min:\n${output}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
}

/** Cache misses of one graph: every request compiles and runs on the engine. */
interface MissNumbers {
  engineMs: number[];
  /** End-to-end − engine (`execution_ms`): what a client waits beyond the engine. */
  overheadMs: number[];
  /** Server-Timing total − engine: the app's own share of a miss, without the client's. */
  serverOverheadMs: number[];
  /** Server-Timing phases by name (a phase may overlap another: the rate limit is counted beside the cache read). */
  phases: Map<string, number[]>;
  /** Size of the last answer, for the HTTP floor's stand-in answer. */
  answerBytes: number;
}

interface PathNumbers {
  hitE2e: number[];
  hitServer: number[];
  /** The per-symbol totals (a few ms on either engine) and the issue-sized query. */
  small: MissNumbers;
  heavy: MissNumbers;
  /** The heavy request again with Refresh: a miss on a key compiled before, like one after new rows. */
  compiledBefore: MissNumbers;
  /** The heavy graph with a new alias each time: a miss after an edit, on a graph never compiled before. */
  edited: MissNumbers;
  throughput: number;
  /** Server CPU (user + system) per request during the 32-client run: what load on the machine distorts least. */
  cpuMsPerHit: number;
  rssUnderLoadMb: number;
  loadAvg: string;
}

const noMisses = (): MissNumbers => ({
  engineMs: [],
  overheadMs: [],
  serverOverheadMs: [],
  phases: new Map(),
  answerBytes: 0,
});

/** One miss's numbers: end-to-end, the engine's time, the Server-Timing phases. */
function recordMiss(out: MissNumbers, r: Reply): void {
  if (r.status !== 200) throw new Error(`miss answered ${r.status}: ${r.body.slice(0, 300)}`);
  const res = JSON.parse(r.body) as { execution_ms: number; cache: string };
  if (res.cache === 'hit') throw new Error('expected a miss');
  out.engineMs.push(res.execution_ms);
  out.answerBytes = Buffer.byteLength(r.body);
  out.overheadMs.push(r.ms - res.execution_ms);
  const total = timingOf(r.serverTiming, 'total');
  const engine = timingOf(r.serverTiming, 'engine');
  if (total !== undefined && engine !== undefined) out.serverOverheadMs.push(total - engine);
  for (const entry of r.serverTiming?.split(',') ?? []) {
    const [name, dur] = entry.trim().split(';dur=');
    if (name && dur) out.phases.set(name, [...(out.phases.get(name) ?? []), Number(dur)]);
  }
}

/** `misses` requests, the i-th asking `requestFor(i)` (each a new cache key), interleaved with nothing else. */
async function measureMisses(
  agent: Agent,
  port: number,
  headers: Record<string, string>,
  requestFor: (i: number) => unknown,
  misses: number,
): Promise<MissNumbers> {
  const out = noMisses();
  for (let i = 0; i < misses; i++) {
    const body = JSON.stringify(requestFor(i));
    recordMiss(out, await post(agent, port, '/api/v1/preview', body, headers));
  }
  return out;
}

/** A new limit each time: the graph is the same, so only the key is new. */
const newLimit = (graph: unknown) => (i: number) => ({ graph, target_node_id: 'srt', limit: 900 - i });

/**
 * The graph as after a user's edit: the group-by's first aggregate renamed (a new alias each time), which changes
 * the SQL but not the engine's work. Neither the key nor any node below the source was compiled before.
 */
const edited = (graph: { nodes: { id: string; data: unknown }[]; edges: unknown[] }) => (i: number) => ({
  graph: {
    ...graph,
    nodes: graph.nodes.map((n) => {
      if (n.id !== 'grp') return n;
      const data = n.data as { aggregations: { alias: string }[] };
      const [first, ...rest] = data.aggregations;
      return { ...n, data: { ...data, aggregations: [{ ...first!, alias: `edited_${i}` }, ...rest] } };
    }),
  },
  target_node_id: 'srt',
  limit: 900,
});

/**
 * The same request again and again with Refresh (the cache skipped, the engine run): a miss on a key compiled before,
 * which is what a live table's preview and a dashboard widget are after every tick of new rows. The first request,
 * which compiles, is not counted.
 */
async function measureRefreshes(
  agent: Agent,
  port: number,
  headers: Record<string, string>,
  graph: unknown,
  refreshes: number,
): Promise<MissNumbers> {
  const out = noMisses();
  const request = { graph, target_node_id: 'srt', limit: 1000 };
  await post(agent, port, '/api/v1/preview', JSON.stringify(request), headers);
  const refresh = JSON.stringify({ ...request, refresh: true });
  for (let i = 0; i < refreshes; i++)
    recordMiss(out, await post(agent, port, '/api/v1/preview', refresh, headers));
  return out;
}

/** Hits (sequential, then 32 clients for a few seconds) and misses against a running server. */
async function measurePath(
  port: number,
  pid: number,
  headers: Record<string, string>,
  misses: number,
  heavyGraph: ReturnType<typeof perSymbolAndSide>,
) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const hitBody = JSON.stringify(hitTarget);
  const first = await post(agent, port, '/api/v1/preview', hitBody, headers);
  if (first.status !== 200) throw new Error(`preview answered ${first.status}: ${first.body}`);
  const out: PathNumbers = {
    hitE2e: [],
    hitServer: [],
    small: noMisses(),
    heavy: noMisses(),
    compiledBefore: noMisses(),
    edited: noMisses(),
    throughput: 0,
    cpuMsPerHit: NaN,
    rssUnderLoadMb: 0,
    loadAvg: load(),
  };
  for (let i = 0; i < 50; i++) await post(agent, port, '/api/v1/preview', hitBody, headers); // warm-up
  for (let i = 0; i < 500; i++) {
    const r = await post(agent, port, '/api/v1/preview', hitBody, headers);
    if (!r.body.includes('"cache":"hit"'))
      throw new Error(`expected a cache hit, got ${r.body.slice(0, 300)}`);
    out.hitE2e.push(r.ms);
    const total = timingOf(r.serverTiming, 'total');
    if (total !== undefined) out.hitServer.push(total);
  }

  const seconds = 4;
  const until = performance.now() + seconds * 1000;
  let done = 0;
  let rss = 0;
  const sampler = setInterval(() => (rss = Math.max(rss, serverRssMb(pid))), 250);
  const server = serverProcess(pid).pid;
  const cpuBefore = cpuSeconds(server);
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < until) {
        const r = await post(agent, port, '/api/v1/preview', hitBody, headers);
        if (r.status !== 200) throw new Error(`under load: ${r.status} ${r.body.slice(0, 200)}`);
        done++;
      }
    }),
  );
  clearInterval(sampler);
  out.cpuMsPerHit = ((cpuSeconds(server) - cpuBefore) * 1000) / done;
  out.throughput = done / seconds;
  out.rssUnderLoadMb = rss;

  out.small = await measureMisses(agent, port, headers, newLimit(MISS_GRAPH), misses);
  out.heavy = await measureMisses(agent, port, headers, newLimit(heavyGraph), misses);
  out.compiledBefore = await measureRefreshes(agent, port, headers, heavyGraph, REFRESHES);
  out.edited = await measureMisses(agent, port, headers, edited(heavyGraph), misses);
  agent.destroy();
  return out;
}

interface TreeResult {
  label: string;
  freshStartMs: number;
  warmStartMs: number;
  rssAfterSeedMb: number;
  embedded: PathNumbers;
  stack?: PathNumbers;
  worker?: PathNumbers;
  loadAtStart: string;
}

async function measureTree(label: string, dir: string, trades: number | undefined, withStack: boolean) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ff-preview-bench-'));
  const port = await freePort();
  const startArgs = ['start', '--', '--port', String(port), '--data-dir', dataDir];
  if (trades !== undefined) startArgs.push('--trades', String(trades));
  const loadAtStart = load();
  console.log(`[${label}] fresh npm start (load ${loadAtStart})…`);
  // The embedded mode's per-user limit (6 000 a minute) would stop the 32-client run; the Node entry's is raised too.
  const benchEnv = { RATE_LIMIT_PER_MINUTE: '100000000' };
  const fresh = await startAndWait(dir, startArgs, benchEnv, port);
  // Let the seed's garbage settle the way a user's first minute would, then read the resident set.
  await new Promise((r) => setTimeout(r, 2000));
  const rssAfterSeedMb = serverRssMb(fresh.child.pid!);
  console.log(
    `[${label}] ready in ${fresh.readyMs.toFixed(0)} ms, RSS ${rssAfterSeedMb.toFixed(0)} MB; hits…`,
  );
  let embedded: PathNumbers;
  try {
    embedded = await measurePath(port, fresh.child.pid!, {}, MISSES, HEAVY_MISS_GRAPHS.duckdb);
  } finally {
    await stop(fresh.child);
  }
  console.log(`[${label}] warm npm start…`);
  const warm = await startAndWait(dir, startArgs, benchEnv, port);
  await stop(warm.child);
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`[${label}] embedded:`, JSON.stringify(summary(embedded)));

  let stack: PathNumbers | undefined;
  if (withStack) {
    console.log(`[${label}] stack mode (npm start -w edge on the shared stack)…`);
    const stackPort = await freePort();
    const server = await startAndWait(
      dir,
      ['start', '-w', 'edge'],
      {
        ...Object.fromEntries(Object.entries(stackEnv).map(([k, v]) => [k, String(v)])),
        APP_ENV: 'development',
        PORT: String(stackPort),
        RATE_LIMIT_PER_MINUTE: '100000000',
      },
      stackPort,
    );
    try {
      stack = await measurePath(
        stackPort,
        server.child.pid!,
        { 'x-dev-tenant': `bench16-${label.replace(/\W/g, '')}-${Date.now()}` },
        MISSES,
        HEAVY_MISS_GRAPHS.clickhouse,
      );
    } finally {
      await stop(server.child);
    }
  }
  const worker = withStack ? await measureWorker(label, dir) : undefined;
  return {
    label,
    freshStartMs: fresh.readyMs,
    warmStartMs: warm.readyMs,
    rssAfterSeedMb,
    embedded,
    ...(stack ? { stack } : {}),
    ...(worker ? { worker } : {}),
    loadAtStart,
  } satisfies TreeResult;
}

/**
 * The tree's Worker entry on the shared stack: its worker.ts bundled as wrangler would and run in workerd through
 * Miniflare (this checkout's test helper), asked over HTTP at workerd's address like the Node entry.
 */
async function measureWorker(label: string, dir: string): Promise<PathNumbers> {
  console.log(`[${label}] Worker entry (workerd via Miniflare, on the shared stack)…`);
  const worker = await startWorkerd(
    {
      ...stackWorkerVars,
      // One-shot metadata queries over Neon's SQL-over-HTTP, as a deployed Worker reads them.
      NEON_FETCH_ENDPOINT: `http://${stackEnv.NEON_WS_PROXY}/sql`,
      APP_ENV: 'development',
      RATE_LIMIT_PER_MINUTE: '100000000',
    },
    { entry: join(dir, 'edge', 'src', 'worker.ts') },
  );
  try {
    const command = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        return ''; // exited since the tree was listed
      }
    };
    const workerd = processTree(process.pid).find((pid) => command(pid) === 'workerd');
    if (workerd === undefined) throw new Error('workerd started but no workerd process runs under this one');
    return await measurePath(
      Number(worker.url.port),
      workerd,
      { 'x-dev-tenant': `bench16w-${label.replace(/\W/g, '')}-${Date.now()}` },
      MISSES,
      HEAVY_MISS_GRAPHS.clickhouse,
    );
  } finally {
    await worker.close();
  }
}

const summary = (p: PathNumbers) => ({
  hitServerP50: median(p.hitServer),
  hitE2eP50: median(p.hitE2e),
  hitE2eP99: pct(p.hitE2e, 99),
  throughput: p.throughput,
  missEngineP50: median(p.small.engineMs),
  missOverheadP50: median(p.small.overheadMs),
  heavyEngineP50: median(p.heavy.engineMs),
  heavyOverheadP50: median(p.heavy.overheadMs),
  load: p.loadAvg,
});

const f0 = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(0));
const f2 = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(2));

/** Median of each Server-Timing phase of a miss, engine included, in the order they first appear. */
const phaseMedians = (m: MissNumbers) =>
  [...m.phases]
    .filter(([name]) => name !== 'total')
    .map(([name, ms]) => `${name} ${f2(median(ms))}`)
    .join(', ');

const share = (overhead: number[], engine: number[]) => `${f0((100 * median(overhead)) / median(engine))} %`;

type PathOf = (r: TreeResult) => PathNumbers | undefined;

/** A table cell from one path's numbers, or a dash for a tree measured without that path. */
const pathCell = (of: PathOf, value: (p: PathNumbers) => string) => (r: TreeResult) => {
  const p = of(r);
  return p ? value(p) : '—';
};

/**
 * The overhead of a miss is a fixed cost (ms) beside the engine's time; its share depends on the query, so both queries
 * are shown side by side: the per-symbol totals (small) and one of the size (heavy).
 */
function missRows(path: string, engine: string, of: PathOf): [string, (r: TreeResult) => string][] {
  const heavyVariant = (variant: (p: PathNumbers) => MissNumbers) =>
    pathCell(of, (p) => {
      const m = variant(p);
      return `${f2(median(m.overheadMs))} / ${f2(median(m.serverOverheadMs))}, ${share(m.overheadMs, m.engineMs)}`;
    });
  const both = (cell: (m: MissNumbers) => string) =>
    pathCell(of, (p) => `${cell(p.small)} / ${cell(p.heavy)}`);
  return [
    [
      `${path}: miss, ${engine} engine time p50 (ms), small / heavy query`,
      both((m) => f2(median(m.engineMs))),
    ],
    [
      `${path}: miss overhead p50 (ms, end-to-end − engine), small / heavy`,
      both((m) => f2(median(m.overheadMs))),
    ],
    [
      `${path}: miss, server-side overhead p50 (ms, Server-Timing total − engine), small / heavy`,
      both((m) => f2(median(m.serverOverheadMs))),
    ],
    [
      `${path}: **miss overhead, % of engine time** (end-to-end), small / heavy`,
      both((m) => share(m.overheadMs, m.engineMs)),
    ],
    [
      `${path}: miss overhead, % of engine time (server-side), small / heavy`,
      both((m) => share(m.serverOverheadMs, m.engineMs)),
    ],
    [
      `${path}: heavy miss of a key compiled before (the same request with Refresh, as after new rows), overhead p50 (ms, end-to-end / server-side), % of engine (end-to-end)`,
      heavyVariant((p) => p.compiledBefore),
    ],
    [
      `${path}: heavy miss of an edited graph (a new alias in the group-by each time), overhead p50 (ms, end-to-end / server-side), % of engine (end-to-end)`,
      heavyVariant((p) => p.edited),
    ],
    [
      `${path}: Server-Timing phases of a heavy miss, p50 (ms; ratelimit overlaps body + cache where counted beside)`,
      pathCell(of, (p) => phaseMedians(p.heavy)),
    ],
  ];
}

/** Cache hits of one path: server and end-to-end latency, then throughput and CPU under 32 clients. */
function hitRows(path: string, of: PathOf): [string, (r: TreeResult) => string][] {
  const cell = (value: (p: PathNumbers) => string) => pathCell(of, value);
  return [
    [
      `${path}: cache-hit server time p50 / p99 (ms, Server-Timing total)`,
      cell((p) => `${f2(median(p.hitServer))} / ${f2(pct(p.hitServer, 99))}`),
    ],
    [
      `${path}: cache-hit end-to-end p50 / p99 (ms, 500 sequential, keep-alive)`,
      cell((p) => `${f2(median(p.hitE2e))} / ${f2(pct(p.hitE2e, 99))}`),
    ],
    [`${path}: cache hits/s, 32 clients, 4 s`, cell((p) => f0(p.throughput))],
    [
      `${path}: server CPU per hit under that load (ms; 1 000 / this = hits/s on one free core)`,
      cell((p) => f2(p.cpuMsPerHit)),
    ],
  ];
}

function table(results: TreeResult[]): string[] {
  const rows: [string, (r: TreeResult) => string][] = [
    [
      'fresh `npm start` → /health 200 (s), fresh data dir, builds cached',
      (r) => (r.freshStartMs / 1000).toFixed(1),
    ],
    ['warm `npm start` (s), seeded data dir', (r) => (r.warmStartMs / 1000).toFixed(1)],
    ['RSS after seeding (MB)', (r) => f0(r.rssAfterSeedMb)],
    ...hitRows('embedded', (r) => r.embedded),
    ['embedded: RSS under that load, max (MB)', (r) => f0(r.embedded.rssUnderLoadMb)],
    ...missRows('embedded', 'DuckDB', (r) => r.embedded),
    ...hitRows('stack', (r) => r.stack),
    ...missRows('stack', 'ClickHouse', (r) => r.stack),
    ...hitRows('Worker', (r) => r.worker),
    ...missRows('Worker', 'ClickHouse', (r) => r.worker),
    [
      'load average (1 min) at start / embedded / stack / Worker measurement',
      (r) =>
        `${r.loadAtStart} / ${r.embedded.loadAvg} / ${r.stack?.loadAvg ?? '—'} / ${r.worker?.loadAvg ?? '—'}`,
    ],
  ];
  return [
    `| measure | ${results.map((r) => r.label).join(' | ')} |`,
    `|---|${results.map(() => '---:').join('|')}|`,
    ...rows.map(([name, cell]) => `| ${name} | ${results.map(cell).join(' | ')} |`),
  ];
}

/**
 * The stack's ClickHouse gets the pipeline's tape (idempotent: stored batches are skipped), so its queries read the same
 * 655 k trades as the embedded mode's and the hit graph's `marts.dim_instruments` exists on a fresh stack too.
 */
function seedStack(): void {
  const started = performance.now();
  const seeded = spawnSync('npm', ['run', '--silent', 'pipeline', '--', 'seed'], {
    cwd: root,
    env: { ...process.env, CLICKHOUSE_URL: stackEnv.CLICKHOUSE_URL },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (seeded.status !== 0) throw new Error(`npm run pipeline -- seed exited with ${seeded.status}`);
  console.log(`stack ClickHouse seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The machine's floor for one HTTP exchange: a bare node:http server in its own process answers the heavy miss's
 * request with a body of the same size, asked by the same client at the misses' pace, either at once or after
 * waiting `waitMs` idle as a server waits for its engine (its wait, timed by itself, is subtracted like the engine's
 * time). No server's end-to-end overhead goes below it. The wait matters on this VM: an exchange around an idle
 * pause of an engine query's length cost 1.3–2.7× one without, as measured here (caches and the sleeping vCPUs of
 * client and server come back slow).
 */
async function httpFloorMs(payload: string, answerBytes: number, waitMs: number): Promise<number> {
  const port = await freePort();
  const server = `require('node:http').createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const started = performance.now();
        const answer = () => {
          res.writeHead(200, { 'content-type': 'application/json', 'x-waited': String(performance.now() - started) });
          res.end(JSON.stringify({ pad: 'x'.repeat(Math.max(0, ${answerBytes} - 10)) }));
        };
        if (${waitMs} > 0) setTimeout(answer, ${waitMs});
        else answer();
      });
    }).listen(${port}, '127.0.0.1');`;
  const child = spawn(process.execPath, ['-e', server], { stdio: 'ignore' });
  const agent = new Agent({ keepAlive: true });
  try {
    for (let ready = false; !ready; await new Promise((r) => setTimeout(r, 50)))
      ready = await post(agent, port, '/', payload, {}).then(
        () => true,
        () => false,
      );
    const ms: number[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await post(agent, port, '/', payload, {});
      if (i >= 50) ms.push(r.ms - Number(r.waited ?? 0));
      await new Promise((r) => setTimeout(r, 10));
    }
    return median(ms);
  } finally {
    agent.destroy();
    child.kill();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      tree: { type: 'string', multiple: true, default: [] },
      trades: { type: 'string' },
      'skip-stack': { type: 'boolean', default: false },
    },
  });
  const trees: [string, string][] =
    values.tree.length > 0 ? values.tree.map((t) => t.split('=') as [string, string]) : [['this tree', root]];
  const trades = values.trades === undefined ? undefined : Number(values.trades);
  if (!values['skip-stack']) seedStack();
  const results: TreeResult[] = [];
  for (const [label, dir] of trees)
    results.push(await measureTree(label, resolve(dir), trades, !values['skip-stack']));
  const floorPayload = JSON.stringify({ graph: HEAVY_MISS_GRAPHS.duckdb, target_node_id: 'srt', limit: 900 });
  const heavy = results[0]!.embedded.heavy;
  const floor = await httpFloorMs(floorPayload, heavy.answerBytes, 0);
  const engineWait = Math.round(median(heavy.engineMs));
  const idleFloor = await httpFloorMs(floorPayload, heavy.answerBytes, engineWait);
  const lines = [
    '## Preview path (`scripts/preview-path-bench.ts`)',
    '',
    `Measured ${new Date().toISOString()} on ${readdirSync('/sys/devices/system/cpu').filter((d) => /^cpu\d+$/.test(d)).length} cores shared with other agents; trees side by side in one run.`,
    'Embedded = `npm start` (DuckDB, PGlite, memory cache, simulator running); hits preview a 4-node graph over',
    '`marts.dim_instruments`; misses (a new limit each time) run the small query, a per-symbol group-by over the whole',
    "655 k-trade tape, and a heavy one of the issue's size (18 ms DuckDB, 31 ms ClickHouse there): per symbol and side,",
    'four aggregates (ClickHouse) and the same plus two distinct counts (DuckDB).',
    'Stack = `npm start -w edge` with APP_ENV=development on the shared stack (ClickHouse over chdb with the pipeline seed,',
    'Upstash REST, Neon proxy). Worker = the Worker entry bundled as wrangler would, in workerd via Miniflare, on the same',
    "stack (metadata over the Neon proxy's SQL over HTTP). workerd's clock only moves across I/O (as on Cloudflare, against",
    "timing attacks), so the Worker's Server-Timing counts whole milliseconds and its CPU-only phases read 0.",
    `Loopback HTTP floor of this run (a bare node:http server in its own process, the heavy miss's request, a same-size`,
    `answer, the same client): ${f2(floor)} ms p50 answered at once, ${f2(idleFloor)} ms p50 answered after ${engineWait} ms idle (the`,
    `embedded heavy query's engine time; the wait itself not counted) — part of every end-to-end figure below, whatever`,
    'the server does.',
    '',
    ...table(results),
    '',
  ];
  writeSectionsInto(join(root, 'bench', 'results.md'), [lines.join('\n')]);
  console.log(lines.join('\n'));
}

await main();
