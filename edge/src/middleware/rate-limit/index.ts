import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../env.ts';
import { ApiError } from '../../errors.ts';
import type { RateLimiter } from '../../ports/rate-limiter.ts';

/**
 * `perWindow` requests a minute per principal (after authentication, so the key is who is calling, not where from);
 * `keyOf` answering null means this limit does not apply to the request. A limiter that cannot be reached lets the
 * request through: Redis is optional for serving, and an outage must not become a 429.
 */
export function rateLimit(
  limiter: RateLimiter,
  keyOf: (c: Context<AppEnv>) => string | null,
  perWindow: number,
): MiddlewareHandler<AppEnv> {
  return async function limitRate(c, next) {
    const key = keyOf(c);
    if (key === null) return next();
    let verdict;
    try {
      verdict = await limiter.limit(key, perWindow);
    } catch (err) {
      console.warn(
        `request ${c.get('requestId')}: rate limiter unavailable, not limiting:`,
        (err as Error).message,
      );
      return next();
    }
    c.header('RateLimit-Limit', String(verdict.limit));
    c.header('RateLimit-Remaining', String(verdict.remaining));
    if (!verdict.success) {
      const retryAfter = Math.max(1, Math.ceil((verdict.reset - Date.now()) / 1000));
      throw new ApiError(
        429,
        'rate_limited',
        `More than ${verdict.limit} requests a minute; retry in ${retryAfter} s`,
        undefined,
        { retryAfter },
      );
    }
    return next();
  };
}
