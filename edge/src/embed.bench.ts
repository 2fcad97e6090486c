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
});

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

function bundleSizes(): { file: string; bytes: number; gzip: number }[] {
  execFileSync('npm', ['run', 'build:embed', '-w', 'web'], { cwd: REPO, stdio: 'ignore' });
  const files = [
    'index.html',
    'sdk.js',
    ...readdirSync(join(DEFAULT_EMBED_DIST, 'assets')).map((f) => `assets/${f}`),
  ];
  return files
    .filter((f) => !f.endsWith('.map'))
    .map((file) => {
      const bytes = readFileSync(join(DEFAULT_EMBED_DIST, file));
      return {
        file,
        bytes: statSync(join(DEFAULT_EMBED_DIST, file)).size,
        gzip: gzipSync(bytes, { level: 9 }).length,
      };
    });
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
    .filter(([name]) => name.startsWith('cache hit'))
    .map(
      ([name, p]) =>
        `| ${name} | ${phaseNames.map((n) => (p[n] ? ms(percentile(p[n], 50)) : '–')).join(' | ')} |`,
    );
  const sizes = bundleSizes();
  const page = sizes.filter((s) => s.file !== 'sdk.js' && !s.file.includes('EChart'));
  const charts = sizes.filter((s) => s.file.includes('EChart'));
  const sum = (xs: { gzip: number }[]) => xs.reduce((a, s) => a + s.gzip, 0);
  const lines = [
    '## Embed at the edge (`edge/src/embed.bench.ts`)',
    '',
    '`GET /api/v1/embed/widgets/:id/data?limit=100` with an embed token, sequential, against the shared stack (the',
    'Worker entry in workerd via Miniflare reaches PostgreSQL through the Neon WebSocket proxy, a new connection per',
    "request as on Workers); one 2-core machine shared with other work. A cache hit still reads the token's API key",
    '(revocation), the widget, its dashboard and workflow from PostgreSQL and counts the key and token allowances in',
    'Upstash before the cache answers: those round trips, not the cache, are the latency.',
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
    '| embed bundle (`npm run build:embed -w web`) | size | gzip |',
    '|---|---:|---:|',
    ...sizes.map((s) => `| ${s.file} | ${kb(s.bytes)} | ${kb(s.gzip)} |`),
    `| **page without charts** (HTML, CSS, JS: what a table or KPI loads) | | **${kb(sum(page))}** |`,
    `| **page with the chart code** (+ the lazy ECharts chunk) | | **${kb(sum(page) + sum(charts))}** |`,
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
