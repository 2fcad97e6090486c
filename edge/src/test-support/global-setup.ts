import ws from 'ws';
import { openNeon } from '../adapters/neon/index.ts';
import { loadMigrations } from '../migrate/files.ts';
import { migrate } from '../migrate/index.ts';
import { seedClickHouse } from './clickhouse-seed.ts';
import { stackEnv } from './stack.ts';

/** Once per vitest run: schema migrations on the stack's PostgreSQL (through the Neon driver) and the ClickHouse tape. */
export default async function setup(): Promise<void> {
  const neon = openNeon({
    connectionString: stackEnv.DATABASE_URL,
    wsProxy: stackEnv.NEON_WS_PROXY,
    webSocketConstructor: ws,
  });
  try {
    await migrate(neon.sql, await loadMigrations());
  } finally {
    await neon.end();
  }
  await seedClickHouse();
}
