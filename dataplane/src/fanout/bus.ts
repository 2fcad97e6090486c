import { Redis } from 'ioredis';

/** What the fan-out needs from pub/sub: exact channels and `prefix*` patterns. MemoryBus satisfies it in process. */
export interface FanoutBus {
  subscribe(channel: string, fn: (message: string, channel: string) => void): () => void;
}

/**
 * Redis pub/sub on one dedicated connection. ioredis reconnects with backoff and re-subscribes every channel and
 * pattern by itself, so a restarted Redis costs the ticks published while it was down, nothing more.
 */
export class RedisFanoutBus implements FanoutBus {
  readonly #redis: Redis;
  readonly #handlers = new Map<string, Set<(message: string, channel: string) => void>>();

  constructor(url: string) {
    this.#redis = new Redis(url, {
      maxRetriesPerRequest: null,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    });
    this.#redis.on('error', (error: Error) => console.error(`fanout: redis: ${error.message}`));
    this.#redis.on('message', (channel: string, message: string) => this.#deliver(channel, channel, message));
    this.#redis.on('pmessage', (pattern: string, channel: string, message: string) =>
      this.#deliver(pattern, channel, message),
    );
  }

  /** Resolves once the connection is up (and after a reconnect, once subscriptions were restored). */
  ready(): Promise<void> {
    if (this.#redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.#redis.once('ready', () => resolve()));
  }

  #deliver(key: string, channel: string, message: string): void {
    for (const fn of this.#handlers.get(key) ?? []) fn(message, channel);
  }

  subscribe(channel: string, fn: (message: string, channel: string) => void): () => void {
    let handlers = this.#handlers.get(channel);
    const pattern = channel.endsWith('*');
    if (!handlers) {
      handlers = new Set();
      this.#handlers.set(channel, handlers);
      const done = pattern ? this.#redis.psubscribe(channel) : this.#redis.subscribe(channel);
      done.catch((error: unknown) => console.error(`fanout: subscribe ${channel} failed`, error));
    }
    handlers.add(fn);
    return () => {
      handlers.delete(fn);
      if (handlers.size > 0 || this.#handlers.get(channel) !== handlers) return;
      this.#handlers.delete(channel);
      const done = pattern ? this.#redis.punsubscribe(channel) : this.#redis.unsubscribe(channel);
      done.catch(() => {});
    };
  }

  close(): void {
    this.#redis.disconnect();
  }
}
