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

/**
 * Work that must not hold up the response (the preview cache write): on Workers handed to `waitUntil` at once; on Node
 * started from a timer, so even its synchronous part (serialising, building the fetch to the Upstash REST port) runs
 * after the response is written instead of between the handler and the socket. A failure is logged, never thrown.
 */
export function afterResponse(c: Context<AppEnv>, work: () => Promise<unknown>, what: string): void {
  const run = () => work().catch((err: unknown) => console.warn(`${what} failed:`, err));
  let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    setTimeout(run, 0);
    return;
  }
  ctx.waitUntil(run());
}
