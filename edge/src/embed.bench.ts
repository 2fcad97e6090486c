import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { startPrivateStack, type PrivateStack } from '../../scripts/stack-lib/private-stack.ts';
import { renderChartSvg } from './charts/svg.ts';
import { DEFAULT_EMBED_DIST } from './node-deps.ts';
import { edge, node, totalsGraph, tradesGraph } from './test-support/graphs.ts';
import { startHarness, type Harness } from './test-support/harness.ts';
import { stackWorkerVars, uniqueTenant } from './test-support/stack.ts';
import { startWorkerd, type Workerd } from './test-support/workerd.ts';

/**
 * What an embedded widget costs at the edge: `GET /api/v1/embed/widgets/:id/data` with an embed token on both entries
 * against the stack (PostgreSQL through the Neon proxy on the Worker, Upstash REST, ClickHouse), cache hits 1 000 in a
 * row and cold reads (a limit no request asked for yet, so the engine runs); the chart SVG route
 * (`/chart.svg`) hit and drawn; what a frame downloads per widget type (the embed build + the chart's SVG); the
 * server-side render's CPU per chart type and the Worker bundle's size. Writes bench/sections/embed.md.
 */
const REPO = join(import.meta.dirname, '..', '..');
const UNLIMITED = '100000000';
let h: Harness;
let services: PrivateStack;
let worker: Workerd;
let path: string;
let auth: Record<string, string>;
let cold = 1;
const timings: Record<string, number[]> = {};
/** Server-Timing phases per measurement: where the server's time went. */
const phases: Record<string, Record<string, number[]>> = {};
const HITS = Number(process.env['EMBED_BENCH_HITS'] ?? 1000);
const SVG_HITS = Number(process.env['EMBED_BENCH_SVG_HITS'] ?? 300);
/** The frame the SVGs are drawn for: the customer app of the e2e test and the README's snippet. */
const FRAME = 'width=760&height=380';
/** The rows the embed page asks for (web/src/api/client.ts WIDGET_ROW_LIMIT). */
const PAGE_LIMIT = 5000;
/** One widget per chart type over the edge seed (4 symbols × 60 trades): bar 4 bars, line 4 × 60 points, … */
const CHARTS: Record<string, { graph: () => ReturnType<typeof tradesGraph>; rows: string }> = {
  bar_chart: {
    graph: () => withOutput(totalsGraph(), 'grp', 'bar_chart', { x: 'symbol', y: ['volume'] }),
    rows: 'volume per symbol, 4 bars',
  },
  line_chart: {
    graph: () =>
      withOutput(tradesGraph(), 'srt', 'line_chart', { x: 'event_time', y: ['price'], series: 'symbol' }),
    rows: 'price per trade by symbol, 4 lines × 60 points',
  },
  candlestick: {
    graph: () =>
      withOutput(tradesGraph({ symbols: ['AAPL'] }), 'srt', 'candlestick', {
        time: 'event_time',
        open: 'price',
        high: 'price',
        low: 'price',
        close: 'price',
        volume: 'quantity',
      }),
    rows: "one symbol's 60 trades as candles over volume",
  },
  scatter: {
    graph: () => withOutput(tradesGraph(), 'srt', 'scatter', { x: 'quantity', y: 'price' }),
    rows: 'price against quantity, 240 points',
  },
};
function withOutput(graph: ReturnType<typeof tradesGraph>, after: string, type: string, data: unknown) {
  graph.nodes.push(node('chart', type, data) as (typeof graph.nodes)[number]);
  graph.edges.push(edge(after, 'chart'));
  return graph;
}
const svgPaths: Record<string, string> = {};
let svgPath: string;
let svgCold = 0;

async function read(entry: 'Node' | 'Worker', url: string, record?: string) {
  const started = performance.now();
  const res =
    entry === 'Node'
      ? await h.app.request(url, { headers: auth })
      : await worker.fetch(url, { headers: auth });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${entry} embed data ${res.status}: ${body}`);
  if (!record) return;
  (timings[record] ??= []).push(performance.now() - started);
  const byPhase = (phases[record] ??= {});
  for (const entry of (res.headers.get('server-timing') ?? '').split(',')) {
    const [name, dur] = entry.trim().split(';dur=');
    if (name && dur) (byPhase[name] ??= []).push(Number(dur));
  }
}

beforeAll(async () => {
  // This checkout's Neon proxy and Upstash server (on a private Redis) in front of the shared PostgreSQL and ClickHouse:
  // the bench measures the stack code it ships with, whatever the shared stack runs.
  services = await startPrivateStack(['redis', 'neon-proxy', 'upstash']);
  const { NEON_WS_PROXY, UPSTASH_REDIS_REST_URL } = services.edgeEnv;
  const edgeEnv = {
    // Thousands of reads a minute with one token: measure the read, not the rate limit.
    EMBED_RATE_LIMIT_PER_MINUTE: UNLIMITED,
    EMBED_TOKEN_RATE_LIMIT_PER_MINUTE: UNLIMITED,
    NEON_WS_PROXY: NEON_WS_PROXY!,
    UPSTASH_REDIS_REST_URL: UPSTASH_REDIS_REST_URL!,
  };
  h = await startHarness(edgeEnv);
  worker = await startWorkerd({
    ...stackWorkerVars,
    ...edgeEnv,
    NEON_FETCH_ENDPOINT: `http://${NEON_WS_PROXY}/sql`,
    APP_ENV: 'test',
    JWKS_URL: h.jwks.url,
    JWT_ISSUER: h.config.JWT_ISSUER,
    JWT_AUDIENCE: h.config.JWT_AUDIENCE,
  });
  const api = h.as(uniqueTenant('embench'));
  const nonce = crypto.randomUUID();
  const graph = tradesGraph();
  // A fresh nonce in the source: this run's first reads are cache misses whatever earlier runs cached.
  const saveWidget = async (g: ReturnType<typeof tradesGraph>, output: string, type: string) => {
    g.nodes[0]!.data = { ...(g.nodes[0]!.data as object), _nonce: nonce };
    const wf = (await (await api.post('/api/v1/workflows', { name: 'bench', graph: g })).json()) as {
      id: string;
    };
    return (
      (await (
        await api.post('/api/v1/widgets', { workflow_id: wf.id, output_node_id: output, widget_type: type })
      ).json()) as { id: string }
    ).id;
  };
  const widget = { id: await saveWidget(graph, 'srt', 'table') };
  const charts: Record<string, string> = {};
  for (const [type, chart] of Object.entries(CHARTS))
    charts[type] = await saveWidget(chart.graph(), 'chart', type);
  const key = (await (
    await api.post('/api/v1/api-keys', { name: 'bench', widget_ids: [widget.id, ...Object.values(charts)] })
  ).json()) as {
    key: string;
  };
  const minted = await h.app.request('/api/v1/embed/tokens', {
    method: 'POST',
    headers: { 'X-API-Key': key.key, 'content-type': 'application/json' },
    body: JSON.stringify({ ttl_seconds: 900 }),
  });
  auth = { authorization: `Bearer ${((await minted.json()) as { token: string }).token}` };
  path = `/api/v1/embed/widgets/${widget.id}/data?limit=100`;
  for (const [type, id] of Object.entries(charts))
    svgPaths[type] = `/api/v1/embed/widgets/${id}/chart.svg?limit=${PAGE_LIMIT}&${FRAME}`;
  svgPath = svgPaths['line_chart']!;
  // Both entries share the stack's cache: one read fills it.
  await read('Node', path);
  await read('Node', svgPath, 'chart.svg, first read: engine runs, then the render (Node entry)');
  // What a new isolate pays on its first hit: the app is built, the ACL and the widget (3 queries) are read once.
  await read('Worker', path, 'cache hit, first read of a new isolate (workerd)');
});

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}

/** Every file of the embed build with its gzip size, and what each kind of embed downloads (from Vite's manifest). */
function bundleSizes() {
  execFileSync('npm', ['run', 'build:embed', '-w', 'web'], { cwd: REPO, stdio: 'ignore' });
  const gzipOf = (file: string) =>
    gzipSync(readFileSync(join(DEFAULT_EMBED_DIST, file)), { level: 9 }).length;
  const files = [
    'index.html',
    'sdk.js',
    ...readdirSync(join(DEFAULT_EMBED_DIST, 'assets')).map((f) => `assets/${f}`),
  ]
    .filter((f) => !f.endsWith('.map'))
    .map((file) => ({ file, bytes: statSync(join(DEFAULT_EMBED_DIST, file)).size, gzip: gzipOf(file) }));
  const manifest = JSON.parse(
    readFileSync(join(DEFAULT_EMBED_DIST, '.vite', 'manifest.json'), 'utf8'),
  ) as Record<string, ManifestChunk>;
  // A chunk, its static imports (transitively) and their CSS: what the browser fetches once the chunk is asked for.
  const closure = (keys: string[], seen = new Set<string>()): Set<string> => {
    for (const key of keys) {
      const chunk = manifest[key];
      if (!chunk || seen.has(chunk.file)) continue;
      seen.add(chunk.file);
      for (const css of chunk.css ?? []) seen.add(css);
      closure(chunk.imports ?? [], seen);
    }
    return seen;
  };
  const page = [...closure(['index.html'])].reduce((sum, file) => sum + gzipOf(file), gzipOf('index.html'));
  if (!manifest['index.html']) throw new Error('embed build: no index.html in the manifest');
  return { files, page };
}

/** What each kind of frame downloads: the page, and for a chart its SVG for the 760×380 frame (gzip, as served). */
async function downloads(page: number) {
  const rows = [{ kind: 'table, pivot, KPI', rows: '–', svg: 0, total: page }];
  for (const [type, chart] of Object.entries(CHARTS)) {
    const res = await h.app.request(svgPaths[type]!, { headers: auth });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${type} chart.svg ${res.status}: ${body}`);
    const svg = gzipSync(body, { level: 9 }).length;
    rows.push({ kind: type, rows: chart.rows, svg, total: page + svg });
  }
  return rows;
}

/** CPU of one server-side render per chart type (`process.cpuUsage`: other work on the machine does not count). */
async function renderCpu() {
  const out: { type: string; median: number; bytes: number }[] = [];
  for (const [type, svgUrl] of Object.entries(svgPaths)) {
    const data = (await (
      await h.app.request(svgUrl.replace(/chart\.svg\?.*/, `data?limit=${PAGE_LIMIT}`), { headers: auth })
    ).json()) as {
      columns: { name: string; type: string }[];
      rows: unknown[][];
      node: { config: Record<string, unknown> };
    };
    const samples: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 25; i++) {
      const started = process.cpuUsage();
      const svg = renderChartSvg(type, data.node.config, data, { width: 760, height: 380 }, 'light')!;
      const used = process.cpuUsage(started);
      samples.push((used.user + used.system) / 1000);
      bytes = svg.length;
    }
    out.push({ type, median: percentile(samples.slice(5), 50), bytes });
  }
  return out;
}

/** The Worker entry as `wrangler deploy` bundles it (NODE_ENV=production), and how much of it is ECharts. */
async function workerBundle() {
  const result = await build({
    entryPoints: [join(REPO, 'edge', 'src', 'worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  const output = Object.values(result.metafile.outputs)[0]!;
  const charting = Object.entries(output.inputs)
    .filter(([file]) => /node_modules\/(echarts|zrender)\//.test(file))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  return { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, charting };
}

afterAll(async () => {
  const bundle = bundleSizes();
  const perKind = await downloads(bundle.page);
  const cpu = await renderCpu();
  const workerJs = await workerBundle();
  await worker?.close();
  await h?.close();
  await services?.down();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const rows = Object.entries(timings).map(
    ([name, xs]) => `| ${name} | ${xs.length} | ${ms(percentile(xs, 50))} | ${ms(percentile(xs, 99))} |`,
  );
  const phaseNames = [...new Set(Object.values(phases).flatMap((p) => Object.keys(p)))];
  const phaseRows = Object.entries(phases)
    .filter(([name]) => !name.includes('first read') && !name.startsWith('cold'))
    .map(
      ([name, p]) =>
        `| ${name} | ${phaseNames.map((n) => (p[n] ? ms(percentile(p[n], 50)) : '–')).join(' | ')} |`,
    );
  const lines = [
    '## Embed at the edge (`edge/src/embed.bench.ts`)',
    '',
    '`GET /api/v1/embed/widgets/:id/data?limit=100` with an embed token, sequential, on one 2-core machine shared with',
    "other work. PostgreSQL and ClickHouse are the shared stack's; the Neon proxy and the Upstash server are this",
    "checkout's, started privately (with a private Redis). The Worker entry runs in workerd via Miniflare and reads",
    "metadata over Neon's SQL over HTTP. A warm cache hit reads the token's API key from PostgreSQL (revocation is never",
    "cached), counts the key's and the token's allowances in one Upstash round trip and reads the cache; the ACL, widget,",
    'dashboard and workflow come from the process (`TenantAcls`, `WidgetResolutions`: a cold isolate or process reads',
    'them once, 3 queries). Cold rows: a limit not read before, so the engine runs (ClickHouse over chdb).',
    '',
    '| measurement | requests | p50 | p99 |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    "Server-Timing p50 per phase (the server's own clock; `chart-cache` is the SVG's read, `render` ECharts'):",
    '',
    `| entry | ${phaseNames.join(' | ')} |`,
    `|---|${phaseNames.map(() => '---:').join('|')}|`,
    ...phaseRows,
    '',
    `Chart SVG route (\`GET /api/v1/embed/widgets/:id/chart.svg?limit=${PAGE_LIMIT}&${FRAME}\`, the line chart of the`,
    'table below): "hit" = the SVG from the preview cache (after the data hit that names it), "drawn" = a size not',
    "asked before, so the rows come from the cache and ECharts renders (the Worker's clock counts whole milliseconds).",
    '',
    "| what an embed downloads, by widget type: the page (HTML, CSS, JS) + the chart's SVG for a 760×380 frame | rows drawn | SVG gzip | total gzip |",
    '|---|---|---:|---:|',
    ...perKind.map((k) => `| ${k.kind} | ${k.rows} | ${k.svg ? kb(k.svg) : '–'} | **${kb(k.total)}** |`),
    '',
    '| server-side render, 760×380 light (`renderChartSvg`, Node, median of 20 after 5 warm-ups) | CPU | SVG size |',
    '|---|---:|---:|',
    ...cpu.map((r) => `| ${r.type} | ${ms(r.median)} | ${kb(r.bytes)} |`),
    '',
    `Worker bundle (\`edge/src/worker.ts\` bundled as \`wrangler deploy\` does, NODE_ENV=production): ${kb(workerJs.bytes)}, ${kb(workerJs.gzip)} gzip; ECharts + zrender ${kb(workerJs.charting)} of it (Workers' limit: 3 MB gzip on the free plan, 10 MB paid).`,
    '',
    '| embed build file (`npm run build:embed -w web`) | size | gzip |',
    '|---|---:|---:|',
    ...bundle.files.map((s) => `| ${s.file} | ${kb(s.bytes)} | ${kb(s.gzip)} |`),
    '',
  ];
  mkdirSync(join(REPO, 'bench', 'sections'), { recursive: true });
  writeFileSync(join(REPO, 'bench', 'sections', 'embed.md'), lines.join('\n'));
});

describe('embed widget data, cache hit, 1 000 sequential', () => {
  bench('Node entry', () => read('Node', path, 'cache hit, Node entry'), { iterations: HITS, time: 0 });
  bench('Worker entry', () => read('Worker', path, 'cache hit, Worker entry (workerd)'), {
    iterations: HITS,
    time: 0,
  });
});

describe('embed widget data, cold (a limit not read before: the engine runs)', () => {
  const fresh = () => path.replace('limit=100', `limit=${200 + cold++}`);
  bench('Node entry', () => read('Node', fresh(), 'cold, Node entry'), { iterations: 30, time: 0 });
  bench('Worker entry', () => read('Worker', fresh(), 'cold, Worker entry (workerd)'), {
    iterations: 30,
    time: 0,
  });
});

describe('embed chart SVG, cache hit, sequential', () => {
  bench('Node entry', () => read('Node', svgPath, 'chart.svg hit, Node entry'), {
    iterations: SVG_HITS,
    time: 0,
  });
  bench('Worker entry', () => read('Worker', svgPath, 'chart.svg hit, Worker entry (workerd)'), {
    iterations: SVG_HITS,
    time: 0,
  });
});

describe('embed chart SVG, drawn (a frame size not asked before; rows from the cache)', () => {
  const fresh = () => svgPath.replace('width=760', `width=${400 + svgCold++}`);
  bench('Node entry', () => read('Node', fresh(), 'chart.svg drawn, Node entry'), {
    iterations: 30,
    time: 0,
  });
  bench('Worker entry', () => read('Worker', fresh(), 'chart.svg drawn, Worker entry (workerd)'), {
    iterations: 30,
    time: 0,
  });
});
