import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../../scripts/stack-lib/free-port.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

// The flags this machine's closed network needs (see AGENTS.md): no background fetches, no GPU, no sandbox as root.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface EmbeddedApp {
  url: string;
  startupMs: number;
  stop(): Promise<void>;
}

/** Resolves once the child prints `marker` (stdout or stderr); rejects with its output if it exits or times out. */
function waitForOutput(child: ChildProcess, marker: string, timeoutMs: number): Promise<void> {
  let output = '';
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server not ready after ${timeoutMs / 1000} s:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * Starts `npm start`'s entry on a fresh data directory and resolves once it prints that it is ready; `trades` sizes
 * the seeded tape (`--trades`).
 */
export async function startEmbedded(options: { trades?: number } = {}): Promise<EmbeddedApp> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'flowforge-e2e-'));
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'dataplane/src/embedded/main.ts',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      ...(options.trades ? ['--trades', String(options.trades)] : []),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await waitForOutput(child, 'FlowForge is ready', 240_000);
  return {
    url: `http://127.0.0.1:${port}`,
    startupMs: performance.now() - started,
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the stack mode (`npm run serve`: the edge's Node entry serving API + web app against the stack) on a free
 * port; the caller checks that Keycloak runs.
 */
export async function startStackMode(): Promise<EmbeddedApp> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/serve-stack.ts', '--port', String(port)],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await waitForOutput(child, 'flowforge edge on', 240_000);
  return {
    url: `http://127.0.0.1:${port}`,
    startupMs: performance.now() - started,
    stop: () => stopChild(child),
  };
}

export async function launchBrowser(): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return { browser, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
