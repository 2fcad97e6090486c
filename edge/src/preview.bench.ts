import { afterAll, beforeAll, bench, describe } from 'vitest';
import { ClickHouseEngine, clickHouseClient } from './adapters/clickhouse/index.ts';
import { PREVIEW_LIMITS } from './query/index.ts';
import { tradesGraph } from './test-support/graphs.ts';
import { startHarness, type Harness } from './test-support/harness.ts';
import { stackEnv, stackWorkerVars, uniqueTenant } from './test-support/stack.ts';
import { startWorkerd, type Workerd } from './test-support/workerd.ts';

/**
 * Preview latency on both entries against the stack: cache misses next to the raw engine time of the same SQL (the
 * overhead is compile + auth + metadata + cache round trips), and cache hits sequentially and 50 at a time.
 */
let h: Harness;
let worker: Workerd;
let engine: ClickHouseEngine;
let sql: string;
const tenant = uniqueTenant('bench');
const headers: Record<string, string> = { 'content-type': 'application/json' };

const body = (nonce?: string) => {
  const graph = tradesGraph();
  if (nonce) graph.nodes[0]!.data = { ...(graph.nodes[0]!.data as object), _nonce: nonce };
  return JSON.stringify({ graph, target_node_id: 'srt' });
};
const HIT = body('bench-hit');

async function node(payload: string) {
  const res = await h.app.request('/api/v1/preview', { method: 'POST', headers, body: payload });
  if (res.status !== 200) throw new Error(`node preview ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}
async function workerd(payload: string) {
  const res = await worker.fetch('/api/v1/preview', { method: 'POST', headers, body: payload });
  if (res.status !== 200) throw new Error(`worker preview ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

beforeAll(async () => {
  // One tenant sends thousands of previews a minute here: measure the preview, not the rate limit.
  h = await startHarness({ RATE_LIMIT_PER_MINUTE: '100000000' });
  headers.authorization = `Bearer ${await h.jwks.mint({ tenant_id: tenant, realm_access: { roles: ['viewer'] } }, { expiresIn: '2h' })}`;
  worker = await startWorkerd({
    ...stackWorkerVars,
    APP_ENV: 'test',
    RATE_LIMIT_PER_MINUTE: '100000000',
    JWKS_URL: h.jwks.url,
    JWT_ISSUER: h.config.JWT_ISSUER,
    JWT_AUDIENCE: h.config.JWT_AUDIENCE,
  });
  engine = new ClickHouseEngine(clickHouseClient({ url: stackEnv.CLICKHOUSE_URL }));
  const res = await h.app.request('/api/v1/preview', { method: 'POST', headers, body: HIT });
  sql = ((await res.json()) as { sql: string }).sql;
  await workerd(HIT);
});
afterAll(async () => {
  await worker?.close();
  await h?.close();
});

describe('preview cache miss (ClickHouse, 101-row preview)', () => {
  bench(
    'raw engine: same SQL, same limits',
    async () => {
      await engine.query(sql, { limits: PREVIEW_LIMITS });
    },
    { time: 4000 },
  );
  bench(
    'Node entry (createApp on Node deps)',
    async () => {
      await node(body(crypto.randomUUID()));
    },
    { time: 4000 },
  );
  bench(
    'Worker entry (workerd via Miniflare)',
    async () => {
      await workerd(body(crypto.randomUUID()));
    },
    { time: 4000 },
  );
});

describe('preview cache hit, 1 000 sequential', () => {
  bench('Node entry', () => node(HIT), { iterations: 1000, time: 0 });
  bench('Worker entry', () => workerd(HIT), { iterations: 1000, time: 0 });
});

describe('preview cache hit, 50 concurrent (one sample = 50 requests)', () => {
  const burst = (fn: (p: string) => Promise<void>) => () =>
    Promise.all(Array.from({ length: 50 }, () => fn(HIT))).then(() => {});
  bench('Node entry', burst(node), { iterations: 20, time: 0 });
  bench('Worker entry', burst(workerd), { iterations: 20, time: 0 });
});
