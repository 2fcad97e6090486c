import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../migrate/files.ts';
import { migrate } from '../../migrate/index.ts';
import { metadataStoreContract } from '../../ports/metadata-store.case.ts';
import { PgMetadataStore } from '../postgres/metadata-store.ts';
import { openPGlite, type PGliteHandle } from './index.ts';

let pg: PGliteHandle;
beforeAll(async () => {
  pg = await openPGlite();
  await migrate(pg.sql, await loadMigrations());
});
afterAll(() => pg.close());

metadataStoreContract('PGlite (embedded mode)', () => new PgMetadataStore(pg.sql));

describe('migrator on PGlite', () => {
  it('is idempotent and records what it applied', async () => {
    expect(await migrate(pg.sql, await loadMigrations())).toEqual([]);
    const rows = await pg.sql.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual((await loadMigrations()).map((m) => m.name));
  });

  it('gives every table tenant_id NOT NULL with an index', async () => {
    const tables = await pg.sql.query<{ table_name: string; is_nullable: string }>(
      `SELECT table_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'api_keys',
      'audit_log',
      'dashboards',
      'tenant_acls',
      'widgets',
      'workflow_versions',
      'workflows',
    ]);
    expect(tables.every((t) => t.is_nullable === 'NO')).toBe(true);
    const indexed = await pg.sql.query<{ tablename: string }>(
      `SELECT DISTINCT tablename FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE '%(tenant_id%'`,
    );
    expect(indexed.map((r) => r.tablename).sort()).toEqual(tables.map((t) => t.table_name));
  });
});
