#!/usr/bin/env node
// The CLI is TypeScript: it runs as a cached esbuild build (built on first use, rebuilt when a source changes).
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

process.argv.splice(2, 0, fileURLToPath(new URL('../src/workflow/cli/main.ts', import.meta.url)));
await import('../../scripts/run-built.mjs');
