import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { startPrivateStack, type PrivateStack } from '../../scripts/stack-lib/private-stack.ts';
import { DEFAULT_EMBED_DIST } from './node-deps.ts';
import { tradesGraph } from './test-support/graphs.ts';
import { startHarness, type Harness } from './test-support/harness.ts';
import { stackEnv, uniqueTenant } from './test-support/stack.ts';
import { startWorkerd, type Workerd } from './test-support/workerd.ts';

/**
 * What an embedded widget costs at the edge: `GET /api/v1/embed/widgets/:id/data` with an embed token on both entries
 * against the stack (PostgreSQL through the Neon proxy on the Worker, Upstash REST, ClickHouse), cache hits 1 000 in a
 * row and cold reads (a limit no request asked for yet, so the engine runs), plus the embed bundle's gzip size.
 * Writes bench/sections/embed.md.
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
/** Server-Timing phases of the cache hits, per entry: where the server's time went. */
const phases: Record<string, Record<string, number[]>> = {};
const HITS = Number(process.env['EMBED_BENCH_HITS'] ?? 1000);

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
  const { REDIS_PORT: _port, ...vars } = stackEnv;
  worker = await startWorkerd({
    ...vars,
    ...edgeEnv,
    NEON_FETCH_ENDPOINT: `http://${NEON_WS_PROXY}/sql`,
    APP_ENV: 'test',
    JWKS_URL: h.jwks.url,
    JWT_ISSUER: h.config.JWT_ISSUER,
    JWT_AUDIENCE: h.config.JWT_AUDIENCE,
  });
  const api = h.as(uniqueTenant('embench'));
  const graph = tradesGraph();
  graph.nodes[0]!.data = { ...(graph.nodes[0]!.data as object), _nonce: crypto.randomUUID() };
  const wf = (await (await api.post('/api/v1/workflows', { name: 'bench', graph })).json()) as { id: string };
  const widget = (await (
    await api.post('/api/v1/widgets', { workflow_id: wf.id, output_node_id: 'srt', widget_type: 'table' })
  ).json()) as { id: string };
  const key = (await (
    await api.post('/api/v1/api-keys', { name: 'bench', widget_ids: [widget.id] })
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
  // Both entries share the stack's cache: one read fills it.
  await read('Node', path);
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
  const total = (keys: string[]) =>
    [...closure(keys)].reduce((sum, file) => sum + gzipOf(file), gzipOf('index.html'));
  const kinds: [string, string[]][] = [
    ['table, pivot, KPI', ['index.html']],
    ...['bar_chart', 'line_chart', 'candlestick', 'scatter'].map((type): [string, string[]] => [
      type,
      ['index.html', '../charts/EChart.tsx', `../charts/echarts/${type.replace('_chart', '')}.ts`],
    ]),
  ];
  for (const [, keys] of kinds)
    for (const key of keys)
      if (!manifest[key]) throw new Error(`embed build: no chunk for ${key} in the manifest`);
  return { files, perKind: kinds.map(([kind, keys]) => ({ kind, gzip: total(keys) })) };
}

afterAll(async () => {
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
    .filter(([name]) => name.startsWith('cache hit') && !name.includes('first read'))
    .map(
      ([name, p]) =>
        `| ${name} | ${phaseNames.map((n) => (p[n] ? ms(percentile(p[n], 50)) : '–')).join(' | ')} |`,
    );
  const bundle = bundleSizes();
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
    "Server-Timing of the cache hits, p50 per phase (the server's own clock):",
    '',
    `| entry | ${phaseNames.join(' | ')} |`,
    `|---|${phaseNames.map(() => '---:').join('|')}|`,
    ...phaseRows,
    '',
    '| what an embed downloads, by widget type (HTML, CSS, JS incl. its ECharts chunks) | gzip |',
    '|---|---:|',
    ...bundle.perKind.map((k) => `| ${k.kind} | **${kb(k.gzip)}** |`),
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
