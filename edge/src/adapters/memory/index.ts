import type { Bus } from '../../ports/bus.ts';
import type { Cache } from '../../ports/cache.ts';
import { RATE_WINDOW_SECONDS, type RateLimiter } from '../../ports/rate-limiter.ts';

/** In-process cache for the embedded mode (one Node process, nothing to share with). */
export class MemoryCache implements Cache {
  readonly inProcess = true;
  private readonly entries = new Map<string, { value: string; expires: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  async get(key: string): Promise<string | null> {
    return this.read(key);
  }

  async getMany(keys: string[]): Promise<(string | null)[]> {
    return keys.map((key) => this.read(key));
  }

  private read(key: string): string | null {
    const hit = this.entries.get(key);
    if (!hit) return null;
    if (hit.expires <= Date.now()) {
      this.entries.delete(key);
      return null;
    }
    return hit.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    // Map keeps insertion order, so the first key is the oldest write: a cheap bound on memory, not an LRU.
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(key);
    this.entries.set(key, { value, expires: Date.now() + ttlSeconds * 1000 });
  }

  async ping(): Promise<void> {}
}

/**
 * In-process pub/sub: the embedded mode's fan-out subscribes here instead of Redis. A channel ending in `*` subscribes
 * to every channel with that prefix (Redis PSUBSCRIBE's one glob the fan-out uses).
 */
export class MemoryBus implements Bus {
  private readonly subscribers = new Map<string, Set<(message: string, channel: string) => void>>();

  async publish(channel: string, message: string): Promise<number> {
    let delivered = 0;
    for (const [key, subs] of this.subscribers) {
      const matches = key.endsWith('*') ? channel.startsWith(key.slice(0, -1)) : key === channel;
      if (!matches) continue;
      for (const fn of subs) fn(message, channel);
      delivered += subs.size;
    }
    return delivered;
  }

  subscribe(channel: string, fn: (message: string, channel: string) => void): () => void {
    const subs = this.subscribers.get(channel) ?? new Set();
    subs.add(fn);
    this.subscribers.set(channel, subs);
    return () => {
      subs.delete(fn);
      if (subs.size === 0 && this.subscribers.get(channel) === subs) this.subscribers.delete(channel);
    };
  }

  async ping(): Promise<void> {}
}

/** Fixed-window counters in this process (the embedded mode is one process with one user). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async limit(key: string, perWindow: number) {
    const now = this.now();
    const windowMs = RATE_WINDOW_SECONDS * 1000;
    let window = this.windows.get(key);
    if (!window || now - window.start >= windowMs) {
      window = { start: now - (now % windowMs), count: 0 };
      this.windows.set(key, window);
      // Expired windows of other keys go with any new window: memory stays bounded by the keys active this minute.
      for (const [k, w] of this.windows) if (now - w.start >= windowMs) this.windows.delete(k);
    }
    window.count++;
    return {
      success: window.count <= perWindow,
      limit: perWindow,
      remaining: Math.max(0, perWindow - window.count),
      reset: window.start + windowMs,
    };
  }
}
