import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import type { Route } from './define.ts';

const CHECK_TIMEOUT_MS = 2_000;

const check = z.object({
  status: z.enum(['up', 'down']),
  latency_ms: z.number(),
  error: z.string().optional(),
});
const publicHealthOut = z.object({ status: z.enum(['up', 'degraded']) });
const memoryOut = z
  .object({ rss_mb: z.number(), heap_used_mb: z.number(), external_mb: z.number() })
  .describe('This process (APP_ENV=development on Node only): resident set, V8 heap in use, native buffers');
const healthOut = z.object({
  status: z.enum(['up', 'degraded']),
  checks: z.record(z.string(), check),
  memory: memoryOut.optional(),
});

type MemoryUsage = () => { rss: number; heapUsed: number; external: number };
/** Node's process.memoryUsage; Workers have no process (and no meaningful resident set). */
const memoryUsage = (globalThis as { process?: { memoryUsage?: MemoryUsage } }).process?.memoryUsage;
const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10;

function memory(): z.infer<typeof memoryOut> | undefined {
  if (!memoryUsage) return undefined;
  const m = memoryUsage();
  return { rss_mb: mb(m.rss), heap_used_mb: mb(m.heapUsed), external_mb: mb(m.external) };
}

async function probe(fn: () => Promise<unknown>): Promise<z.infer<typeof check>> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'up', latency_ms: Math.round((performance.now() - started) * 100) / 100 };
  } catch (err) {
    return {
      status: 'down',
      latency_ms: Math.round(performance.now() - started),
      error: (err as Error).message,
    };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** 503 when any dependency is down, so load balancers take the instance out; details for admins only. */
export function healthRoutes(route: Route, deps: AppDeps): void {
  const handler = async () => {
    const { store, release } = deps.metadata.open();
    try {
      const checks: Record<string, () => Promise<unknown>> = {
        metadata: () => store.ping(),
        cache: () => deps.cache.ping(),
        bus: () => deps.bus.ping(),
        ...Object.fromEntries(
          Object.entries(deps.analytics).map(([name, engine]) => [name, () => engine.ping()]),
        ),
      };
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, fn]) => [name, await probe(fn)] as const),
      );
      const ok = results.every(([, r]) => r.status === 'up');
      return {
        ok,
        body: { status: ok ? ('up' as const) : ('degraded' as const), checks: Object.fromEntries(results) },
      };
    } finally {
      await release();
    }
  };
  // Public: load balancers need up or degraded, nothing about what is behind (addresses, error texts).
  for (const path of ['/health', '/api/v1/health']) {
    route(
      {
        method: 'get',
        path,
        tag: 'health',
        auth: 'none',
        summary: 'up or degraded (503)',
        response: { status: 200, description: 'Up (503 with status degraded)', schema: publicHealthOut },
      },
      async (c) => {
        const { ok, body } = await handler();
        return c.json({ status: body.status }, ok ? 200 : 503);
      },
    );
  }
  route(
    {
      method: 'get',
      path: '/api/v1/health/details',
      tag: 'health',
      auth: 'bearer',
      role: 'admin',
      summary: 'Each dependency up/down with its latency and error',
      response: {
        status: 200,
        description: 'All up (503 with the same body when degraded)',
        schema: healthOut,
      },
    },
    async (c) => {
      const { ok, body } = await handler();
      const usage = deps.config.APP_ENV === 'development' ? memory() : undefined;
      return c.json({ ...body, ...(usage ? { memory: usage } : {}) }, ok ? 200 : 503);
    },
  );
}
