// `npm start`: FlowForge in one Node process — the edge app on Node, the built web app, an in-process WebSocket fan-out
// and a market simulator, over DuckDB (analytics), PGlite (metadata) and in-memory cache and bus. Data in ./.flowforge.
import { DuckDBInstance } from '@duckdb/node-api';
import { rmSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seedMarket } from './duckdb-market.ts';
import { ensureWebBuild } from './web-build.ts';
import { startEmbeddedServer } from './server.ts';
import { progressBar } from '@flowforge/pipeline/cli/progress';

const USAGE = `Usage: npm start -- [--port 8787] [--data-dir ./.flowforge] [--reset] [--host NAME]…

  --port      HTTP port (default 8787)
  --host      also answer Host NAME:port (a name you point at this machine); localhost, 127.0.0.1 and [::1] always
  --data-dir  where DuckDB, PGlite and the web build cache live (default ./.flowforge)
  --reset     delete the data directory first and seed from scratch`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8787' },
      'data-dir': { type: 'string', default: '.flowforge' },
      reset: { type: 'boolean', default: false },
      host: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535)
    throw new Error(`--port must be a TCP port, got "${values.port}"`);
  const dataDir = resolve(values['data-dir']);
  const started = performance.now();

  if (values.reset) {
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`Reset: removed ${dataDir}`);
  }
  mkdirSync(dataDir, { recursive: true });

  await ensureWebBuild((line) => console.log(line));

  const duckdb = await DuckDBInstance.create(join(dataDir, 'analytics.duckdb'));
  const seeding = await duckdb.connect();
  const bar = progressBar('Seeding market data', process.stdout);
  const loaded = await seedMarket(seeding, {
    onProgress: (p) =>
      bar.update(
        p.done / p.total,
        p.phase === 'finalize' ? 'writing tables' : `${p.done.toLocaleString('en-US')} trades`,
      ),
  });
  seeding.closeSync();
  bar.done(
    loaded > 0 ? `${loaded.toLocaleString('en-US')} trades seeded` : 'market data already seeded (reusing)',
  );

  const server = await startEmbeddedServer({ port, dataDir, duckdb, allowedHosts: values.host });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\nFlowForge is ready in ${seconds} s → http://localhost:${port}`);
  console.log('Embedded mode: you are signed in automatically as the development tenant "dev" (admin).');

  const stop = () => {
    console.log('\nStopping FlowForge…');
    void server.close().then(() => {
      duckdb.closeSync();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`FlowForge failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
