#!/usr/bin/env node
// Runs a TypeScript entry (`npm start`, `npm start -w edge`, the `flowforge` CLI) as built JavaScript instead of
// through tsx: tsx's transform keeps function names, which wraps the closures the engine creates in hot recursion
// (3–5× slower compiles). One esbuild bundle per entry, in node_modules/.cache/flowforge-build/, rebuilt only when one
// of the files it was built from changed (esbuild's own list of inputs). Packages stay external; the workspace's own
// TypeScript (@flowforge/*) is bundled. Plain JavaScript on purpose: it is what runs before anything is built.
//
//   node scripts/run-built.mjs <entry.ts> [args…]
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const cacheDir = join(root, 'node_modules', '.cache', 'flowforge-build');

/** Where an entry's bundle and its list of inputs live (one pair per entry path). */
function outputsFor(entry) {
  const name = relative(root, entry).replace(/[/\\]/g, '__').replace(/\.ts$/, '');
  return { bundle: join(cacheDir, `${name}.mjs`), inputs: join(cacheDir, `${name}.inputs.json`) };
}

/** The bundle is current when it exists and no input changed or vanished since it was written. */
function isCurrent({ bundle, inputs }) {
  if (!existsSync(bundle) || !existsSync(inputs)) return false;
  const builtAt = statSync(bundle).mtimeMs;
  const files = JSON.parse(readFileSync(inputs, 'utf8'));
  return files.every((file) => existsSync(file) && statSync(file).mtimeMs <= builtAt);
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

async function build(entry, outputs) {
  const started = performance.now();
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: outputs.bundle,
    write: false,
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
  // Written aside and renamed: processes starting at once (test suites) never import a half-written bundle.
  const unique = `${process.pid}-${Date.now()}`;
  writeFileSync(`${outputs.inputs}.${unique}`, JSON.stringify(inputs));
  writeFileSync(`${outputs.bundle}.${unique}`, result.outputFiles[0].contents);
  renameSync(`${outputs.inputs}.${unique}`, outputs.inputs);
  renameSync(`${outputs.bundle}.${unique}`, outputs.bundle);
  // Only where a person watches: the CLI's stderr is part of its contract with scripts.
  if (process.stderr.isTTY) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.error(`Built ${basename(entry)} (${inputs.length} files) in ${seconds} s`);
  }
}

const [target, ...args] = process.argv.slice(2);
if (!target) {
  console.error('Usage: node scripts/run-built.mjs <entry.ts> [args…]');
  process.exit(2);
}
const entry = resolve(process.cwd(), target);
const outputs = outputsFor(entry);
mkdirSync(cacheDir, { recursive: true });
if (!isCurrent(outputs)) await build(entry, outputs);
// The entry parses process.argv as if it had been started directly.
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(outputs.bundle).href);
