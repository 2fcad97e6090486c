import { ApiError } from '../errors.ts';

/**
 * Per-tenant concurrency for engine queries: at most `concurrency` running per tenant, `queue` more waiting in order,
 * anything beyond answered 429 at once. One tenant's long exports then wait behind each other, not in front of another
 * tenant's previews. Per process (per isolate on Workers): the engine's own limits bound the total.
 */
export class TenantQueryGate {
  private readonly tenants = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(
    readonly concurrency: number,
    readonly queue: number,
  ) {}

  /** Waits for a slot (or throws 429) and returns its release; call release exactly once. */
  async acquire(tenant: string): Promise<() => void> {
    let state = this.tenants.get(tenant);
    if (!state) {
      state = { running: 0, waiting: [] };
      this.tenants.set(tenant, state);
    }
    if (state.running >= this.concurrency) {
      if (state.waiting.length >= this.queue)
        throw new ApiError(
          429,
          'too_many_queries',
          `This tenant already has ${this.concurrency} queries running and ${this.queue} waiting; retry when one finishes`,
          undefined,
          { retryAfter: 1 },
        );
      await new Promise<void>((resolve) => state.waiting.push(resolve));
    } else {
      state.running++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = state.waiting.shift();
      // A waiter inherits the slot; running only drops when nobody waits.
      if (next) next();
      else if (--state.running === 0) this.tenants.delete(tenant);
    };
  }

  async run<T>(tenant: string, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(tenant);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
