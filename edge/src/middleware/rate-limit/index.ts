import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../env.ts';
import { ApiError } from '../../errors.ts';
import type { RateLimiter } from '../../ports/rate-limiter.ts';
import { Lru } from '../../query/lru.ts';

/** One allowance: `perWindow` requests a minute counted on `key`. */
export interface RateLimitRule {
  key: string;
  perWindow: number;
}

/**
 * Counts the request against each allowance at once (one round trip) and refuses it with 429 + Retry-After when any is
 * spent; sets RateLimit-Limit/Remaining from the tightest. A limiter that cannot be reached lets the request through:
 * Redis is optional for serving, and an outage must not become a 429.
 */
export async function enforceRateLimits(
  c: Context<AppEnv>,
  limiter: RateLimiter,
  rules: RateLimitRule[],
  onVerdicts?: (verdicts: { key: string; success: boolean; reset: number }[]) => void,
): Promise<void> {
  let verdicts;
  try {
    verdicts = await Promise.all(rules.map((rule) => limiter.limit(rule.key, rule.perWindow)));
  } catch (err) {
    console.warn(
      `request ${c.get('requestId')}: rate limiter unavailable, not limiting:`,
      (err as Error).message,
    );
    return;
  }
  // The tightest allowance is the one a client should pace itself by.
  const tightest = verdicts.reduce<(typeof verdicts)[number] | undefined>(
    (worst, v) => (!worst || v.remaining < worst.remaining || !v.success ? v : worst),
    undefined,
  );
  if (!tightest) return;
  onVerdicts?.(verdicts.map((v, i) => ({ key: rules[i]!.key, success: v.success, reset: v.reset })));
  c.header('RateLimit-Limit', String(tightest.limit));
  c.header('RateLimit-Remaining', String(tightest.remaining));
  const refused = verdicts.filter((v) => !v.success);
  if (refused.length) {
    const reset = Math.max(...refused.map((v) => v.reset));
    const retryAfter = Math.max(1, Math.ceil((reset - Date.now()) / 1000));
    const limit = Math.min(...refused.map((v) => v.limit));
    throw new ApiError(
      429,
      'rate_limited',
      `More than ${limit} requests a minute; retry in ${retryAfter} s`,
      undefined,
      { retryAfter },
    );
  }
}

/**
 * Request limits per principal (after authentication, so the key is who is calling, not where from). `rulesOf` names
 * the allowances a request counts against; the count shows in `Server-Timing` as `ratelimit`.
 *
 * A route that only reads until it calls `c.get('admission')()` (`limitBeside`: the query routes) starts the count there
 * itself, beside its cache read: on the Upstash port both then go out in one request. Whatever the handler did, the
 * request is counted, and a refused one ends as 429 here. Such a route may ask `c.get('admissionLikely')()` before the
 * verdict is in: false while one of its allowances was last refused in this process and has not reset since.
 */
export function rateLimit(
  limiter: RateLimiter,
  rulesOf: (c: Context<AppEnv>) => RateLimitRule[],
): MiddlewareHandler<AppEnv> {
  // Allowance key → when its last refusal here resets (0 once admitted again); bounded like every per-key memory.
  const refusedUntil = new Lru<number>(10_000);
  const remember = (verdicts: { key: string; success: boolean; reset: number }[]) => {
    for (const v of verdicts) {
      if (!v.success) refusedUntil.set(v.key, v.reset);
      else if (refusedUntil.has(v.key)) refusedUntil.set(v.key, 0);
    }
  };
  return async function limitRate(c, next) {
    const count = () =>
      c.get('timings').measure('ratelimit', () => enforceRateLimits(c, limiter, rulesOf(c), remember));
    if (!c.get('limitBeside')) {
      await count();
      return next();
    }
    c.set('admissionLikely', () => {
      const now = Date.now();
      return rulesOf(c).every((rule) => (refusedUntil.get(rule.key) ?? 0) <= now);
    });
    let verdict: Promise<void> | undefined;
    c.set('admission', () => {
      if (!verdict) {
        verdict = count();
        // A refusal is observed below, after the handler: not an unhandled rejection meanwhile.
        verdict.catch(() => {});
      }
      return verdict;
    });
    await next();
    await c.get('admission')();
  };
}
