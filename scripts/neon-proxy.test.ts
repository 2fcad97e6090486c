// This checkout's Neon proxy (a private instance in front of the shared PostgreSQL): SQL over HTTP as `neon()` sends it.
import { neon, neonConfig, NeonDbError } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateStack, type PrivateStack } from './stack-lib/private-stack.ts';
import { POSTGRES_URL } from './stack-lib/services.ts';

let stack: PrivateStack;
beforeAll(async () => {
  stack = await startPrivateStack(['neon-proxy']);
  neonConfig.fetchEndpoint = `http://127.0.0.1:${stack.ports['neon-proxy']}/sql`;
}, 120_000);
afterAll(() => stack?.down());

describe('Neon proxy: SQL over HTTP', () => {
  const sql = () => neon(POSTGRES_URL);

  it('answers one-shot queries with bound parameters, typed by the driver', async () => {
    const rows = await sql().query(
      'SELECT $1::int + 1 AS n, $2::text AS s, now() AS t, NULL::int AS z, \'{"a":[1]}\'::jsonb AS j',
      [41, 'é ✓'],
    );
    expect(rows).toEqual([{ n: 42, s: 'é ✓', t: expect.any(Date), z: null, j: { a: [1] } }]);
    const full = await sql().query('SELECT 1 AS a, 2 AS b', [], { arrayMode: true, fullResults: true });
    expect(full.rows).toEqual([[1, 2]]);
    expect(full.fields.map((f) => f.name)).toEqual(['a', 'b']);
  });

  it('reports PostgreSQL errors with their SQLSTATE', async () => {
    const err = await sql()
      .query('SELECT * FROM no_such_table_here')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NeonDbError);
    expect(err).toMatchObject({ code: '42P01', message: expect.stringMatching(/no_such_table_here/) });
  });

  it('runs a batch as one transaction, rolled back as a whole when a statement fails', async () => {
    const table = `neon_http_${crypto.randomUUID().replaceAll('-', '')}`;
    const db = sql();
    await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
    try {
      const [, counted] = await db.transaction([
        db.query(`INSERT INTO ${table} VALUES (1)`),
        db.query(`SELECT count(*)::int AS n FROM ${table}`),
      ]);
      expect(counted).toEqual([{ n: 1 }]);
      await expect(
        db.transaction([
          db.query(`INSERT INTO ${table} VALUES (2)`),
          db.query(`INSERT INTO ${table} VALUES (1)`),
        ]),
      ).rejects.toMatchObject({ code: '23505' });
      expect(await db.query(`SELECT id FROM ${table} ORDER BY id`)).toEqual([{ id: 1 }]);
    } finally {
      await db.query(`DROP TABLE ${table}`);
    }
  });

  it('relays only to loopback databases', async () => {
    await expect(neon('postgres://postgres@10.0.0.1:5432/flowforge').query('SELECT 1')).rejects.toThrow(
      /only loopback/,
    );
  });
});
