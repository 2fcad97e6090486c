import ws from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { metadataStoreContract } from '../../ports/metadata-store.case.ts';
import { stackEnv } from '../../test-support/stack.ts';
import { PgMetadataStore } from '../postgres/metadata-store.ts';
import { openNeon } from './index.ts';

// The stack's PostgreSQL through its Neon-style WebSocket proxy; global setup has migrated it.
const neon = openNeon({
  connectionString: stackEnv.DATABASE_URL,
  wsProxy: stackEnv.NEON_WS_PROXY,
  webSocketConstructor: ws,
});
afterAll(() => neon.end());

metadataStoreContract('neon driver → PostgreSQL 15', () => new PgMetadataStore(neon.sql));

describe('neon transactions', () => {
  it('roll back when the callback throws', async () => {
    const name = `edge-tx-${crypto.randomUUID()}`;
    await expect(
      neon.sql.transaction(async (tx) => {
        await tx.query('CREATE TEMP TABLE IF NOT EXISTS edge_tx_probe (name text)');
        await tx.query('INSERT INTO edge_tx_probe VALUES ($1)', [name]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await neon.sql.query("SELECT to_regclass('pg_temp.edge_tx_probe') AS t");
    expect(rows).toHaveLength(1);
  });
});
