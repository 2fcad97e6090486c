import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const WEB_ROOT = join(import.meta.dirname, '..', '..', '..', 'web');
export const WEB_DIST = join(WEB_ROOT, 'dist');
export const EMBED_DIST = join(WEB_ROOT, 'dist-embed');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

function run(args: string[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn('npx', args, {
      cwd: WEB_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      // Vite keeps an inherited NODE_ENV: started from vitest (`test`) it would ship React's development build,
      // with StrictMode's doubled effects and requests, to every later `npm start`.
      env: { ...process.env, NODE_ENV: 'production' },
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`web build failed (exit ${code})`)),
    );
  });
}

/**
 * Builds the web app and the embed page + SDK (`dist-embed`) when a build is missing or the sources (or the engine
 * they bundle) changed since it was made.
 */
export async function ensureWebBuild(log: (line: string) => void): Promise<void> {
  const engine = join(WEB_ROOT, '..', 'edge', 'src', 'workflow');
  const sources = Math.max(...[join(WEB_ROOT, 'src'), join(WEB_ROOT, 'index.html'), engine].map(newestMtime));
  const builds = [
    {
      what: 'web app',
      marker: join(WEB_DIST, 'index.html'),
      commands: [['vite', 'build', '--logLevel', 'warn']],
    },
    {
      what: 'embed page and SDK',
      marker: join(EMBED_DIST, 'sdk.js'),
      commands: [
        ['vite', 'build', '-c', 'vite.embed.config.ts', '--logLevel', 'warn'],
        ['vite', 'build', '-c', 'vite.embed.config.ts', '--mode', 'sdk', '--logLevel', 'warn'],
      ],
    },
  ];
  for (const build of builds) {
    if (existsSync(build.marker) && statSync(build.marker).mtimeMs >= sources) continue;
    log(`Building the ${build.what} (first start or changed sources)…`);
    const started = performance.now();
    for (const command of build.commands) await run(command);
    log(`Built the ${build.what} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}
