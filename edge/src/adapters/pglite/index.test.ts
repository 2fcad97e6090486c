import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('new data directories from a template', () => {
  it('initdb and prepare run once per key; every new directory starts as a copy of the prepared one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pglite-template-'));
    const migrations = await loadMigrations();
    let prepared = 0;
    const template = {
      key: 'migrated',
      dir: join(root, 'templates'),
      prepare: async (sql: PGliteHandle['sql']) => {
        prepared++;
        await migrate(sql, migrations);
      },
    };
    try {
      for (const name of ['first', 'second']) {
        const handle = await openPGlite(join(root, name), template);
        try {
          expect(await migrate(handle.sql, migrations)).toEqual([]);
          await handle.sql.query('INSERT INTO tenant_acls (tenant_id, allowed_symbols) VALUES ($1, $2)', [
            name,
            ['AAPL'],
          ]);
          const tenants = await handle.sql.query<{ tenant_id: string }>('SELECT tenant_id FROM tenant_acls');
          // Each directory is its own copy: the first one's row is not in the second.
          expect(tenants.map((t) => t.tenant_id)).toEqual([name]);
        } finally {
          await handle.close();
        }
      }
      expect(prepared).toBe(1);
      expect(readdirSync(template.dir)).toHaveLength(1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
