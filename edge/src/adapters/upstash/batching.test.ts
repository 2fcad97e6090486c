import type { Requester, UpstashRequest } from '@upstash/redis';
import { describe, expect, it } from 'vitest';
import { stackEnv } from '../../test-support/stack.ts';
import { batchingRequester } from './batching.ts';
import { UpstashCache, UpstashRateLimiter, upstashClient } from './index.ts';

/** An inner requester that answers each command with its own name and records every request it gets. */
function recording(fail?: Error) {
  const requests: UpstashRequest[] = [];
  const inner: Requester = {
    async request<T>(req: UpstashRequest) {
      requests.push(req);
      if (fail) throw fail;
      const commands = req.path?.[0] === 'pipeline' ? (req.body as string[][]) : [req.body as string[]];
      const answers = commands.map((c) => (c[0] === 'BAD' ? { error: 'ERR bad' } : { result: c.join(' ') }));
      return (req.path?.[0] === 'pipeline' ? answers : answers[0]) as { result?: T };
    },
  };
  return { inner, requests };
}

describe('batchingRequester', () => {
  it('sends the commands and pipelines of one macrotask as one pipeline, and gives each caller its own answer', async () => {
    const { inner, requests } = recording();
    const batching = batchingRequester(inner);
    const [single, pipeline, failed] = await Promise.all([
      batching.request({ body: ['GET', 'a'] }),
      batching.request({
        path: ['pipeline'],
        body: [
          ['MGET', 'b', 'c'],
          ['GET', 'd'],
        ],
      }),
      batching.request({ body: ['BAD'] }),
    ]);
    expect(requests).toEqual([
      { path: ['pipeline'], body: [['GET', 'a'], ['MGET', 'b', 'c'], ['GET', 'd'], ['BAD']] },
    ]);
    expect(single).toEqual({ result: 'GET a' });
    expect(pipeline).toEqual([{ result: 'MGET b c' }, { result: 'GET d' }]);
    expect(failed).toEqual({ error: 'ERR bad' });

    // The next macrotask starts a new batch.
    await batching.request({ body: ['GET', 'e'] });
    expect(requests).toHaveLength(2);
  });

  it('passes through what one request cannot share (transactions, headers, streams) and fails a whole batch together', async () => {
    const { inner, requests } = recording();
    await batchingRequester(inner).request({ path: ['multi-exec'], body: [['INCR', 'x']] });
    await batchingRequester(inner).request({ body: ['GET', 'a'], headers: { 'Upstash-Encoding': 'base64' } });
    expect(requests.map((r) => r.path ?? [])).toEqual([['multi-exec'], []]);

    const down = batchingRequester(recording(new Error('connection refused')).inner);
    const results = await Promise.allSettled([
      down.request({ body: ['GET', 'a'] }),
      down.request({ body: ['GET', 'b'] }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it("a rate-limit count and a cache read started together are one request to the stack's Upstash port", async () => {
    const redis = upstashClient({
      url: stackEnv.UPSTASH_REDIS_REST_URL,
      token: stackEnv.UPSTASH_REDIS_REST_TOKEN,
    });
    const cache = new UpstashCache(redis);
    const limiter = new UpstashRateLimiter(redis);
    const key = `edge-test:batching:${crypto.randomUUID()}`;
    await cache.set(key, 'cached answer', 60);

    const sent: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      sent.push(String(input));
      return realFetch(input, init);
    };
    try {
      const [verdict, values] = await Promise.all([
        limiter.limit(key, 5),
        cache.getMany([key, `${key}:none`]),
      ]);
      expect(verdict).toMatchObject({ success: true, limit: 5, remaining: 4 });
      expect(values).toEqual(['cached answer', null]);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(sent).toEqual([`${stackEnv.UPSTASH_REDIS_REST_URL}/pipeline`]);
  });
});
