import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const WEB_ROOT = join(import.meta.dirname, '..', '..', '..', 'web');
export const WEB_DIST = join(WEB_ROOT, 'dist');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/** Builds the web app when there is no build or the sources (or the engine it bundles) changed since the last one. */
export async function ensureWebBuild(log: (line: string) => void): Promise<void> {
  const index = join(WEB_DIST, 'index.html');
  const engine = join(WEB_ROOT, '..', 'edge', 'src', 'workflow');
  const sources = [join(WEB_ROOT, 'src'), join(WEB_ROOT, 'index.html'), engine];
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  log('Building the web app (first start or changed sources)…');
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npx', ['vite', 'build', '--logLevel', 'warn'], {
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
  log(`Web app built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
