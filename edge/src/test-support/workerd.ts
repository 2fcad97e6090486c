import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Log, LogLevel, Miniflare } from 'miniflare';

/** wrangler 4.86.0's workerd (1.20260426.x) refuses compatibility dates after its build; wrangler.toml uses the same. */
export const COMPATIBILITY_DATE = '2026-04-26';
const WORKER_ENTRY = fileURLToPath(new URL('../worker.ts', import.meta.url));

export interface Workerd {
  /** workerd's own HTTP address (what `fetch` dispatches to), for clients outside this process's fetch. */
  url: URL;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The Worker entry bundled by esbuild the way wrangler does (workerd/worker/browser export conditions, no Node
 * built-ins) and run inside workerd through the Miniflare API, with the given env as `[vars]` and, when given, a folder
 * as the embed build's static assets. `entry` is another checkout's worker.ts when a bench compares two.
 */
export async function startWorkerd(
  vars: Record<string, string>,
  options: { embedAssets?: string; entry?: string } = {},
): Promise<Workerd> {
  const dir = await mkdtemp(join(tmpdir(), 'flowforge-worker-'));
  const scriptPath = join(dir, 'worker.js');
  await build({
    entryPoints: [options.entry ?? WORKER_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    outfile: scriptPath,
    logLevel: 'error',
  });
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    // Module names are paths relative to this root; the bundle lives outside the cwd.
    modulesRoot: dir,
    compatibilityDate: COMPATIBILITY_DATE,
    bindings: vars,
    // Offline: never fetch Cloudflare's request.cf data.
    cf: false,
    log: new Log(LogLevel.WARN),
    // The embed build as wrangler.toml's `[assets]` declares it: the Worker runs first and reads files via ASSETS.
    ...(options.embedAssets
      ? {
          assets: {
            directory: options.embedAssets,
            binding: 'ASSETS',
            routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
            assetConfig: { html_handling: 'none' as const, not_found_handling: 'none' as const },
          },
        }
      : {}),
  });
  const url = await mf.ready;
  return {
    url,
    async fetch(path, init) {
      const res = await mf.dispatchFetch(new URL(path, url).toString(), init as never);
      // Miniflare's Response is undici's; re-wrap so callers get the platform Response type.
      return new Response(res.body as ReadableStream | null, {
        status: res.status,
        headers: res.headers as unknown as Headers,
      });
    },
    async close() {
      await mf.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
