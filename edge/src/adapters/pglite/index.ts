import { PGlite } from '@electric-sql/pglite';
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

/** PostgreSQL in WASM for the embedded mode: `dataDir` persists (e.g. `./.flowforge/pg`), none = in memory. */
export async function openPGlite(dataDir?: string): Promise<PGliteHandle> {
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
