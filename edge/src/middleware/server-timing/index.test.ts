import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totalsGraph } from '../../test-support/graphs.ts';
import { startHarness, type Harness } from '../../test-support/harness.ts';
import { uniqueTenant } from '../../test-support/stack.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** `a;dur=1.20, b;dur=0.03` → { a: 1.2, b: 0.03 }. */
function timingsOf(res: Response): Record<string, number> {
  const header = res.headers.get('server-timing');
  expect(header, 'Server-Timing header').toBeTruthy();
  return Object.fromEntries(
    header!.split(',').map((entry) => {
      const [name, dur] = entry.trim().split(';dur=');
      expect(Number.isFinite(Number(dur)), `${entry} has a duration`).toBe(true);
      return [name!, Number(dur)];
    }),
  );
}

describe('Server-Timing', () => {
  it('names every phase of a preview miss, and a hit skips compile and engine', async () => {
    const client = h.as(uniqueTenant('timing'));
    const body = { graph: totalsGraph(), target_node_id: 'grp' };

    const miss = await client.post('/api/v1/preview', body);
    expect(miss.status).toBe(200);
    expect(((await miss.json()) as { cache: string }).cache).toBe('miss');
    const missed = timingsOf(miss);
    expect(Object.keys(missed).sort()).toEqual(
      ['acl', 'auth', 'body', 'cache', 'compile', 'engine', 'key', 'ratelimit', 'total'].sort(),
    );
    // The phases happen inside the request: none can be longer than it.
    for (const [name, ms] of Object.entries(missed)) expect(ms, name).toBeLessThanOrEqual(missed.total!);

    const hit = await client.post('/api/v1/preview', body);
    expect(((await hit.json()) as { cache: string }).cache).toBe('hit');
    expect(Object.keys(timingsOf(hit)).sort()).toEqual(
      ['acl', 'auth', 'body', 'cache', 'key', 'ratelimit', 'total'].sort(),
    );
  });

  it('is on every response: public routes, refusals, errors and unknown paths', async () => {
    const responses = [
      await h.app.request('/health'),
      await h.app.request('/api/v1/openapi.json'),
      await h.app.request('/api/v1/workflows'),
      await h.app.request('/api/v1/no-such-route'),
      await h.as(uniqueTenant('timing')).post('/api/v1/preview', { graph: { nodes: [] } }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 401, 404, 422]);
    for (const res of responses) expect(timingsOf(res).total).toBeGreaterThan(0);
    // A refused token was still checked: its time is reported as auth.
    expect(Object.keys(timingsOf(responses[2]!))).toEqual(['auth', 'total']);
  });
});
