import { PGlite } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * A new data directory's initdb, on a worker thread that exits afterwards. In the main thread it held ~450 MB of WASM
 * memory for the life of the process (RSS 750 MB vs 290 MB when opening an initialized directory, measured), and it
 * blocked the event loop for seconds; on a thread it runs beside whatever the process does meanwhile (the seed).
 */
async function initDataDir(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  // Resolved here: a worker started from code has no module path of its own to resolve packages from.
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const worker = new Worker(
    `import(${JSON.stringify(pglite)}).then(async ({ PGlite }) => {
       const db = await PGlite.create(${JSON.stringify(dataDir)});
       await db.close();
     });`,
    { eval: true },
  );
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`PGlite initdb exited with ${code}`)),
    );
  });
}

/** PostgreSQL in WASM for the embedded mode: `dataDir` persists (e.g. `./.flowforge/pg`), none = in memory. */
export async function openPGlite(dataDir?: string): Promise<PGliteHandle> {
  if (dataDir) await initDataDir(dataDir);
  const db = await PGlite.create(dataDir);
  const transaction = <T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> =>
    db.transaction((tx) =>
      fn(
        client(tx, () => {
          throw new Error('nested transactions are not supported');
        }),
      ),
    );
  // A process that opened PGlite does not exit until it is closed (see TOOLCHAIN.md), so callers must close it.
  return { db, sql: client(db, transaction), close: () => db.close() };
}
