import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../env.ts';

/**
 * Where a request's server time went, by phase (`auth`, `ratelimit`, `body`, `acl`, `widget`, `key`, `cache`, `compile`,
 * `engine`, `engine-cancelled`), sent as `Server-Timing` with a `total`: browsers' dev tools and the bench read it, so a
 * slow preview says what was slow. A phase entered twice adds up; phases may overlap (a query route's `ratelimit` runs
 * beside `body` and `cache`, an early engine run beside `cache`), so they need not sum to the total.
 */
export class Timings {
  private readonly phases = new Map<string, number>();
  readonly started = performance.now();

  add(name: string, ms: number): void {
    this.phases.set(name, (this.phases.get(name) ?? 0) + ms);
  }

  async measure<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      this.add(name, performance.now() - started);
    }
  }

  header(): string {
    const entries = [...this.phases, ['total', performance.now() - this.started] as const];
    return entries.map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`).join(', ');
  }
}

/** First middleware of the app: every response, errors and 404s included, carries `Server-Timing`. */
export function serverTiming(): MiddlewareHandler<AppEnv> {
  return async function timeRequest(c, next) {
    const timings = new Timings();
    c.set('timings', timings);
    await next();
    try {
      c.res.headers.set('Server-Timing', timings.header());
    } catch {
      // A Response passed through from fetch() has immutable headers: copy it once to add ours.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set('Server-Timing', timings.header());
    }
  };
}

/** A middleware's own time, up to where it hands over to the next one, reported as `name`. */
export function timed(name: string, middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return async function timedMiddleware(c: Context<AppEnv>, next) {
    const started = performance.now();
    let reported = false;
    const report = () => {
      if (reported) return;
      reported = true;
      c.get('timings').add(name, performance.now() - started);
    };
    try {
      return await middleware(c, async () => {
        report();
        await next();
      });
    } finally {
      report();
    }
  };
}
