#!/usr/bin/env node
// Runs a TypeScript entry (`npm start`, `npm start -w edge`, the `flowforge` CLI) as built JavaScript instead of
// through tsx: tsx's transform keeps function names, which wraps the closures the engine creates in hot recursion
// (3–5× slower compiles). One esbuild build per entry, in node_modules/.cache/flowforge-build/, rebuilt only when one
// of the files it was built from changed (esbuild's own list of inputs). Packages stay external; the workspace's own
// TypeScript (@flowforge/*) is bundled. Code is split at dynamic imports, so what the source loads lazily is loaded
// lazily here too (the embed chart renderer's ECharts: ~0.8 s of start-up otherwise). Plain JavaScript on purpose: it
// is what runs before anything is built.
//
//   node scripts/run-built.mjs <entry.ts> [args…]
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const cacheDir = join(root, 'node_modules', '.cache', 'flowforge-build');
/** A build no longer current is deleted once this old: a process started from it may still load its lazy chunks. */
const STALE_BUILD_MS = 24 * 60 * 60 * 1000;

/**
 * Where an entry's builds live: one folder per build (the entry's `main.mjs` and its chunks), and `current.json`
 * naming the current one with the files it was built from and when.
 */
function outputsFor(entry) {
  const dir = join(cacheDir, relative(root, entry).replace(/[/\\]/g, '__').replace(/\.ts$/, ''));
  return { dir, current: join(dir, 'current.json') };
}

/** The current build's entry file, or null when there is none or an input changed or vanished since it was built. */
function currentBuild({ dir, current }) {
  if (!existsSync(current)) return null;
  const { build, builtAt, inputs } = JSON.parse(readFileSync(current, 'utf8'));
  const main = join(dir, build, 'main.mjs');
  if (!existsSync(main)) return null;
  return inputs.every((file) => existsSync(file) && statSync(file).mtimeMs < builtAt) ? main : null;
}

/**
 * Source files find their data (migrations, ClickHouse DDL, web/dist) relative to themselves; in a bundle they would
 * all sit in the cache folder. So each file's `import.meta.dirname` / `import.meta.url` become its own path.
 */
const ownLocation = {
  name: 'own-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const source = readFileSync(args.path, 'utf8')
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents: source, loader: 'ts', resolveDir: dirname(args.path) };
    });
  },
};

/** npm packages stay in node_modules (native DuckDB, PGlite's wasm); only workspace TypeScript is bundled. */
const packagesExternal = {
  name: 'packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@flowforge/') ? undefined : { path: args.path, external: true },
    );
  },
};

async function build(entry, { dir, current }) {
  const started = performance.now();
  // Taken before esbuild reads anything: a file saved during the build is newer, so the next start rebuilds.
  const builtAt = Date.now();
  const esbuild = await import('esbuild');
  // Each build gets a folder of its own, named in current.json only once complete: processes starting at once (test
  // suites) never import a half-written build, and one already running keeps the chunks it was built with.
  const build = `${builtAt}-${process.pid}`;
  const result = await esbuild.build({
    entryPoints: { main: entry },
    outdir: join(dir, build),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    metafile: true,
    logLevel: 'warning',
    plugins: [ownLocation, packagesExternal],
  });
  const inputs = Object.keys(result.metafile.inputs).map((file) => resolve(root, file));
  writeFileSync(`${current}.${build}`, JSON.stringify({ build, builtAt, inputs }));
  renameSync(`${current}.${build}`, current);
  for (const old of readdirSync(dir)) {
    const path = join(dir, old);
    if (
      old !== build &&
      !old.startsWith('current.json') &&
      Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS
    )
      rmSync(path, { recursive: true, force: true });
  }
  // Only where a person watches: the CLI's stderr is part of its contract with scripts.
  if (process.stderr.isTTY) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.error(`Built ${basename(entry)} (${inputs.length} files) in ${seconds} s`);
  }
  return join(dir, build, 'main.mjs');
}

const [target, ...args] = process.argv.slice(2);
if (!target) {
  console.error('Usage: node scripts/run-built.mjs <entry.ts> [args…]');
  process.exit(2);
}
const entry = resolve(process.cwd(), target);
const outputs = outputsFor(entry);
mkdirSync(outputs.dir, { recursive: true });
const main = currentBuild(outputs) ?? (await build(entry, outputs));
// The entry parses process.argv as if it had been started directly.
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(main).href);
