import { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SqlClient } from '../postgres/sql-client.ts';

type Queryable = Pick<PGlite, 'query' | 'exec'>;

function client(db: Queryable, transaction: SqlClient['transaction']): SqlClient {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await db.query<T>(text, params)).rows;
    },
    async queryArrays(text, params) {
      const { fields, rows } = await db.query<unknown[]>(text, params, { rowMode: 'array' });
      return { fields: fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })), rows };
    },
    async exec(sql) {
      await db.exec(sql);
    },
    transaction,
  };
}

export interface PGliteHandle {
  db: PGlite;
  sql: SqlClient;
  close(): Promise<void>;
}

/** Runs `code` on a worker thread, which exits when its work is done; rejects if it throws or exits otherwise. */
function onWorkerThread(code: string, what: string): Promise<void> {
  const worker = new Worker(code, { eval: true });
  return new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (exitCode) =>
      exitCode === 0 ? resolve() : reject(new Error(`${what} exited with ${exitCode}`)),
    );
  });
}

/**
 * A new data directory's initdb, on a worker thread. In the main thread it held ~450 MB of WASM memory for the life of
 * the process (RSS 750 MB vs 290 MB when opening an initialized directory, measured), and it blocked the event loop
 * for seconds; on a thread it runs beside whatever the process does meanwhile (the seed).
 */
function initdb(dataDir: string): Promise<void> {
  // Resolved here: a worker started from code has no module path of its own to resolve packages from.
  const pglite = import.meta.resolve('@electric-sql/pglite');
  return onWorkerThread(
    `import(${JSON.stringify(pglite)}).then(async ({ PGlite }) => {
       const db = await PGlite.create(${JSON.stringify(dataDir)});
       await db.close();
     });`,
    'PGlite initdb',
  );
}

/**
 * A template's ~1 000 files (~40 MB) copied on a worker thread: in the main thread the copy blocked the event loop for
 * 0.8 s of a fresh start and held up the seed meanwhile; on a thread it runs beside the seed.
 */
function copyOnWorkerThread(from: string, to: string): Promise<void> {
  return onWorkerThread(
    `import('node:fs').then(({ cpSync }) =>
       cpSync(${JSON.stringify(from)}, ${JSON.stringify(to)}, { recursive: true }));`,
    'copying the PGlite template',
  );
}

/** Where prepared data directories are kept: beside the build cache, so `npm ci` starts afresh. */
export const PGLITE_TEMPLATES = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'node_modules',
  '.cache',
  'flowforge-pglite',
);

/**
 * What every new data directory starts as (e.g. migrated to the current schema): `key` names the preparation, so a
 * template is rebuilt when it changes.
 */
export interface PGliteTemplate {
  key: string;
  prepare(sql: SqlClient): Promise<void>;
  /** Default `PGLITE_TEMPLATES`. */
  dir?: string;
}

/**
 * A fresh data directory is a copy of a prepared one. initdb (~5 s of CPU in WASM) and the migrations (~2 s) are the
 * same for every new directory of one PGlite build and schema, so they run once per machine, like the build cache,
 * and a fresh `npm start` copies ~40 MB instead. The template is built in a private folder and renamed into place, so
 * processes starting together never see half of one.
 */
async function templateFor(template: PGliteTemplate): Promise<string> {
  const wasm = statSync(fileURLToPath(import.meta.resolve('@electric-sql/pglite/pglite.wasm')));
  const key = createHash('sha256')
    .update(`${wasm.size}:${wasm.mtimeMs}:${template.key}`)
    .digest('hex')
    .slice(0, 16);
  const root = template.dir ?? PGLITE_TEMPLATES;
  const ready = join(root, key);
  if (existsSync(join(ready, 'PG_VERSION'))) return ready;
  const building = join(root, `${key}.${process.pid}.${Date.now()}`);
  mkdirSync(building, { recursive: true });
  try {
    await initdb(building);
    const db = await PGlite.create(building);
    try {
      await template.prepare(sqlClient(db));
    } finally {
      await db.close();
    }
    try {
      renameSync(building, ready);
    } catch (error) {
      // Another process renamed its own build first: theirs is as good.
      if (!existsSync(join(ready, 'PG_VERSION'))) throw error;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return ready;
}

async function initDataDir(dataDir: string, template?: PGliteTemplate): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  if (!template) return initdb(dataDir);
  await copyOnWorkerThread(await templateFor(template), dataDir);
}

/**
 * PostgreSQL in WASM for the embedded mode: `dataDir` persists (e.g. `./.flowforge/pg`), none = in memory. A new
 * `dataDir` starts as a copy of `template` when one is given.
 */
export async function openPGlite(dataDir?: string, template?: PGliteTemplate): Promise<PGliteHandle> {
  if (dataDir) await initDataDir(dataDir, template);
  const db = await PGlite.create(dataDir);
  // A process that opened PGlite does not exit until it is closed (see TOOLCHAIN.md), so callers must close it.
  return { db, sql: sqlClient(db), close: () => db.close() };
}

function sqlClient(db: PGlite): SqlClient {
  const transaction = <T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> =>
    db.transaction((tx) =>
      fn(
        client(tx, () => {
          throw new Error('nested transactions are not supported');
        }),
      ),
    );
  return client(db, transaction);
}
