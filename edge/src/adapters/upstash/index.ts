import { Ratelimit } from '@upstash/ratelimit';
import { Redis, type Requester } from '@upstash/redis';
import type { Bus } from '../../ports/bus.ts';
import type { Cache } from '../../ports/cache.ts';
import { RATE_WINDOW_SECONDS, type RateLimiter } from '../../ports/rate-limiter.ts';
import { batchingRequester } from './batching.ts';

export interface UpstashOptions {
  url: string;
  token: string;
}

/**
 * One REST client for cache, bus and rate limits: fetch-based, so the same code runs in workerd and on Node (where
 * `transport` may replace fetch: `nodeRequester`). Commands issued in the same macrotask share one HTTP request
 * (`batchingRequester`): a preview's rate-limit count and cache read are one round trip.
 */
export function upstashClient(
  opts: UpstashOptions,
  transport?: (opts: UpstashOptions, fetchBased: Requester) => Requester,
): Redis {
  const redis = new Redis({
    url: opts.url,
    token: opts.token,
    // We store strings we serialized ourselves; the client must not guess at JSON.
    automaticDeserialization: false,
    enableTelemetry: false,
    // A cache that is down must be noticed fast (the preview then runs uncached), not retried with backoff.
    retry: { retries: 0 },
  });
  // The client reads its (protected) requester at every command and pipeline; the Redis(requester) constructor would
  // not take the options above.
  const internals = redis as unknown as { client: Requester };
  internals.client = batchingRequester(transport ? transport(opts, internals.client) : internals.client);
  return redis;
}

export class UpstashCache implements Cache {
  constructor(private readonly redis: Redis) {}

  async get(key: string): Promise<string | null> {
    const value = await this.redis.get<string>(key);
    return value ?? null;
  }

  async getMany(keys: string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    return this.redis.mget<(string | null)[]>(...keys);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(key, value, { ex: ttlSeconds });
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}

export class UpstashBus implements Bus {
  constructor(private readonly redis: Redis) {}

  async publish(channel: string, message: string): Promise<number> {
    return this.redis.publish(channel, message);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}

/** Sliding-window limits shared by every edge instance (`@upstash/ratelimit` over the same REST client). */
export class UpstashRateLimiter implements RateLimiter {
  // One Ratelimit per allowance (users, keys and tokens each have theirs); a handful for the isolate's life.
  private readonly byAllowance = new Map<number, Ratelimit>();

  constructor(private readonly redis: Redis) {}

  async limit(key: string, perWindow: number) {
    let ratelimit = this.byAllowance.get(perWindow);
    if (!ratelimit) {
      ratelimit = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.slidingWindow(perWindow, `${RATE_WINDOW_SECONDS} s`),
        prefix: `ratelimit:${perWindow}`,
        analytics: false,
      });
      this.byAllowance.set(perWindow, ratelimit);
    }
    const { success, limit, remaining, reset } = await ratelimit.limit(key);
    return { success, limit, remaining, reset };
  }
}
