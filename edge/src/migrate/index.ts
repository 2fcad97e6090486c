import type { SqlClient } from '../adapters/postgres/sql-client.ts';

export interface Migration {
  /** File name, e.g. `0001_init.sql`; applied in name order and recorded in `schema_migrations`. */
  name: string;
  sql: string;
}

// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK = 7_312_001;

/** Applies pending migrations in one transaction; concurrent callers queue on an advisory lock, then find nothing to do. */
export async function migrate(client: SqlClient, migrations: Migration[]): Promise<string[]> {
  const ordered = [...migrations].sort((a, b) => a.name.localeCompare(b.name));
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
    );
    const applied: string[] = [];
    for (const m of ordered) {
      if (done.has(m.name)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [m.name]);
      applied.push(m.name);
    }
    return applied;
  });
}
