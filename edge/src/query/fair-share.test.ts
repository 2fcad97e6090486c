import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../adapters/memory/index.ts';
import { createApp } from '../app.ts';
import { spawn } from 'node:child_process';
import { UpstashRateLimiter, upstashClient } from '../adapters/upstash/index.ts';
import { freePort } from '../../../scripts/stack-lib/free-port.ts';
import { ApiError } from '../errors.ts';
import { edge, node, tradesGraph } from '../test-support/graphs.ts';
import { startHarness, type Harness } from '../test-support/harness.ts';
import { uniqueTenant } from '../test-support/stack.ts';
import { TenantQueryGate } from './fair-share.ts';

/**
 * This file's own instance of the stack's Upstash-REST server (over the stack's Redis), so the test runs the server code
 * of this checkout whatever version the shared stack started with.
 */
async function startUpstashServer(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack-lib/upstash-server.ts'], {
    cwd: new URL('../../../', import.meta.url).pathname,
    env: { ...process.env, UPSTASH_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('upstash-compatible REST')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`upstash-server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

describe('TenantQueryGate', () => {
  it('runs up to the limit per tenant, queues in order, refuses past the queue with 429, never across tenants', async () => {
    const gate = new TenantQueryGate(1, 1);
    const order: string[] = [];
    const first = await gate.acquire('a');
    const second = gate.acquire('a').then((release) => {
      order.push('second');
      return release;
    });
    const refused = await gate.acquire('a').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 429, code: 'too_many_queries', retryAfter: 1 });
    // Another tenant is not behind tenant a's queue.
    const other = await gate.acquire('b');
    order.push('other');
    first();
    (await second)();
    other();
    expect(order).toEqual(['other', 'second']);
    // Everything released: the tenant may run again.
    (await gate.acquire('a'))();
  });
});

describe('MemoryRateLimiter', () => {
  it('allows the allowance per key per minute, then refuses until the window turns', async () => {
    let now = 120_000;
    const limiter = new MemoryRateLimiter(() => now);
    expect((await limiter.limit('k', 2)).success).toBe(true);
    expect((await limiter.limit('k', 2)).success).toBe(true);
    expect(await limiter.limit('k', 2)).toMatchObject({ success: false, remaining: 0, reset: 180_000 });
    expect((await limiter.limit('other', 2)).success).toBe(true);
    now = 180_000;
    expect((await limiter.limit('k', 2)).success).toBe(true);
  });
});

describe('fair share over the stack', () => {
  let h: Harness;
  let upstash: { url: string; stop(): void };
  beforeAll(async () => {
    h = await startHarness();
    upstash = await startUpstashServer();
  });
  afterAll(async () => {
    upstash?.stop();
    await h?.close();
  });

  it('limits each principal (Upstash sliding window), previews and exports included, with 429 + Retry-After', async () => {
    const limited = createApp({
      ...h.node.deps,
      config: { ...h.config, RATE_LIMIT_PER_MINUTE: 3 },
      rateLimiter: new UpstashRateLimiter(
        upstashClient({ url: upstash.url, token: h.config.UPSTASH_REDIS_REST_TOKEN }),
      ),
    });
    const tenant = uniqueTenant('rl');
    const token = await h.jwks.token(tenant);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const preview = (limit: number) =>
      limited.request('/api/v1/preview', {
        method: 'POST',
        headers,
        body: JSON.stringify({ graph: tradesGraph(), target_node_id: 'srt', limit }),
      });
    const statuses = [(await preview(5)).status];
    for (let i = 0; i < 2; i++)
      statuses.push((await limited.request('/api/v1/workflows', { headers })).status);
    const exported = await limited.request('/api/v1/export.csv', {
      method: 'POST',
      headers,
      body: JSON.stringify({ graph: tradesGraph(), target_node_id: 'srt' }),
    });
    expect(statuses).toEqual([200, 200, 200]);
    // A preview counts its allowance beside the cache read: refused all the same, for a cached answer and for a
    // miss, and a refused miss never reaches the engine. A likely miss compiles while the cache read travels, but a
    // refused request is a 429 even when its graph would not compile.
    const [cached, fresh] = [await preview(5), await preview(6)];
    expect([cached.status, fresh.status]).toEqual([429, 429]);
    expect(((await fresh.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(fresh.headers.get('server-timing')).toMatch(/ratelimit;dur=/);
    expect(fresh.headers.get('server-timing')).not.toMatch(/engine/);
    const broken = tradesGraph();
    broken.nodes = broken.nodes.map((n) =>
      n.id === 'srt' ? { ...n, data: { sorts: [{ column: 'no_such_column', direction: 'ASC' }] } } : n,
    );
    const invalid = await limited.request('/api/v1/preview', {
      method: 'POST',
      headers,
      body: JSON.stringify({ graph: broken, target_node_id: 'srt', limit: 5 }),
    });
    expect(invalid.status).toBe(429);
    expect(invalid.headers.get('server-timing')).toMatch(/compile;dur=/);
    expect(exported.status).toBe(429);
    expect(Number(exported.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await exported.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another user of the same tenant has their own allowance.
    const colleague = await h.jwks.mint({
      tenant_id: tenant,
      sub: 'colleague',
      realm_access: { roles: ['viewer'] },
    });
    expect(
      (await limited.request('/api/v1/workflows', { headers: { authorization: `Bearer ${colleague}` } }))
        .status,
    ).toBe(200);
  });

  it("queues a tenant's engine queries past its concurrency and refuses past the queue; another tenant still runs", async () => {
    const strict = createApp({ ...h.node.deps, queryGate: new TenantQueryGate(1, 0) });
    const heavy = {
      nodes: [
        node('src', 'data_source', { database: 'flowforge', table: 'edge_test_heavy' }),
        node('grp', 'group_by', { group_by: [], aggregations: [{ function: 'sum', column: 'score' }] }),
      ],
      edges: [edge('src', 'grp')],
    };
    const preview = async (tenant: string, graph: unknown, target: string) =>
      strict.request('/api/v1/preview', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await h.jwks.token(tenant)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ graph, target_node_id: target }),
      });
    const a = uniqueTenant('fa');
    const b = uniqueTenant('fb');
    const [long, second, other] = await Promise.all([
      preview(a, heavy, 'grp'),
      new Promise((r) => setTimeout(r, 1000)).then(() => preview(a, tradesGraph(), 'srt')),
      new Promise((r) => setTimeout(r, 1000)).then(() => preview(b, tradesGraph(), 'srt')),
    ]);
    expect(long.status).toBe(504);
    expect(second.status).toBe(429);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('too_many_queries');
    expect(other.status).toBe(200);
  });
});
