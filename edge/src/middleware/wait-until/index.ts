import type { Context } from 'hono';
import type { AppEnv } from '../../env.ts';

/**
 * Hands `work` to the Worker runtime so the isolate stays alive until it settles after the response is sent. Returns
 * false on Node, which has no ExecutionContext (Hono's getter throws): there the promise simply runs on.
 */
export function waitUntil(c: Context<AppEnv>, work: Promise<unknown>): boolean {
  let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    return false;
  }
  ctx.waitUntil(work);
  return true;
}
