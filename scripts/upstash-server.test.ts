// The stack's Upstash-REST server from this checkout on a private Redis: what `@upstash/ratelimit` costs per request.
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateStack, type PrivateStack } from './stack-lib/private-stack.ts';
import { UPSTASH_TOKEN } from './stack-lib/services.ts';

let stack: PrivateStack;
beforeAll(async () => {
  stack = await startPrivateStack(['redis', 'upstash']);
}, 120_000);
afterAll(() => stack?.down());

describe('Upstash-REST server: scripts with Upstash flags', () => {
  it('answers a rate limit in one EVALSHA after the first EVAL, as Upstash does', async () => {
    const sent: string[][] = [];
    const redis = new Redis({
      url: `http://127.0.0.1:${stack.ports.upstash}`,
      token: UPSTASH_TOKEN,
      enableTelemetry: false,
      retry: { retries: 0 },
    });
    const recording = new Proxy(redis, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'evalsha' || prop === 'eval')
          return (...args: unknown[]) => {
            sent.push([String(prop)]);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const limiter = new Ratelimit({
      redis: recording,
      limiter: Ratelimit.slidingWindow(2, '60 s'),
      prefix: `test-${crypto.randomUUID()}`,
      analytics: false,
      ephemeralCache: false,
    });
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push((await limiter.limit('k')).success);
    expect(verdicts).toEqual([true, true, false]);
    // The library tries EVALSHA first and falls back to EVAL on NOSCRIPT: one fallback, ever.
    expect(sent.map(([name]) => name)).toEqual(['evalsha', 'eval', 'evalsha', 'evalsha']);
  });
});
