// `npm start`: FlowForge in one Node process — the edge app on Node, the built web app, an in-process WebSocket fan-out
// and a market simulator, over DuckDB (analytics), PGlite (metadata) and in-memory cache and bus. Data in ./.flowforge.
import { DuckDBInstance } from '@duckdb/node-api';
import { rmSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seedMarket, seededTrades } from './duckdb-market.ts';
import { ensureWebBuild } from './web-build.ts';
import { openEmbeddedDeps, startEmbeddedServer } from './server.ts';
import { progressBar } from '@flowforge/pipeline/cli/progress';

/**
 * DuckDB would otherwise take 80 % of RAM and a thread per core. 1 GB holds the default tape (~655 000 trades) and its
 * rollups with room for previews; larger tapes spill to disk instead of growing the process.
 */
const DUCKDB_MEMORY = '1GB';
const DUCKDB_THREADS = 2;

const USAGE = `Usage: npm start -- [--port 8787] [--data-dir ./.flowforge] [--reset] [--host NAME]… [--trades 1000000]
                    [--duckdb-memory 1GB] [--duckdb-threads 2]

  --port      HTTP port (default 8787)
  --host      also answer Host NAME:port (a name you point at this machine); localhost, 127.0.0.1 and [::1] always
  --data-dir  where DuckDB, PGlite and the web build cache live (default ./.flowforge)
  --reset     delete the data directory first and seed from scratch
  --trades    size of the historical tape for a first seed (default ~655 000; 1000000 and 10000000 for scale
              tests); an already seeded data directory keeps its tape unless --reset is given
  --duckdb-memory  DuckDB's memory_limit (default ${DUCKDB_MEMORY}); past it DuckDB spills to the data directory
  --duckdb-threads DuckDB's worker threads (default ${DUCKDB_THREADS}: a laptop tool must leave the machine usable)`;

/** Largest --trades we accept: 10 M is the documented scale test, with headroom. */
const MAX_TRADES = 50_000_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8787' },
      'data-dir': { type: 'string', default: '.flowforge' },
      reset: { type: 'boolean', default: false },
      host: { type: 'string', multiple: true, default: [] },
      trades: { type: 'string' },
      'duckdb-memory': { type: 'string', default: DUCKDB_MEMORY },
      'duckdb-threads': { type: 'string', default: String(DUCKDB_THREADS) },
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
  const trades = values.trades === undefined ? undefined : Number(values.trades);
  if (trades !== undefined && (!Number.isInteger(trades) || trades < 1 || trades > MAX_TRADES))
    throw new Error(`--trades must be a whole number from 1 to ${MAX_TRADES}, got "${values.trades}"`);
  const threads = Number(values['duckdb-threads']);
  if (!Number.isInteger(threads) || threads < 1 || threads > 256)
    throw new Error(
      `--duckdb-threads must be a whole number from 1 to 256, got "${values['duckdb-threads']}"`,
    );
  const memoryLimit = values['duckdb-memory'];
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(memoryLimit))
    throw new Error(`--duckdb-memory must be a size like 512MB or 2GB, got "${memoryLimit}"`);
  const dataDir = resolve(values['data-dir']);
  const started = performance.now();

  if (values.reset) {
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`Reset: removed ${dataDir}`);
  }
  mkdirSync(dataDir, { recursive: true });

  await ensureWebBuild((line) => console.log(line));

  const duckdb = await DuckDBInstance.create(join(dataDir, 'analytics.duckdb'), {
    memory_limit: memoryLimit,
    threads: String(threads),
  });
  // PGlite's first start (initdb in WASM, migrations) takes seconds: it runs while the seed waits on DuckDB.
  const deps = openEmbeddedDeps({ port, dataDir, duckdb, allowedHosts: values.host });
  deps.catch(() => {}); // awaited below; a failure must not also surface as an unhandled rejection meanwhile
  const seeding = await duckdb.connect();
  const bar = progressBar('Seeding market data', process.stdout);
  const loaded = await seedMarket(seeding, {
    ...(trades !== undefined ? { trades } : {}),
    onProgress: (p) =>
      bar.update(
        p.done / p.total,
        p.phase === 'finalize' ? 'writing tables' : `${p.done.toLocaleString('en-US')} trades`,
      ),
  });
  const existing = loaded > 0 ? loaded : await seededTrades(seeding);
  seeding.closeSync();
  bar.done(
    loaded > 0
      ? `${loaded.toLocaleString('en-US')} trades seeded`
      : `market data already seeded with ${existing?.toLocaleString('en-US')} trades (reusing${trades !== undefined ? '; --reset to reseed with --trades' : ''})`,
  );

  const server = await startEmbeddedServer({
    port,
    dataDir,
    duckdb,
    allowedHosts: values.host,
    deps: await deps,
  });
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
