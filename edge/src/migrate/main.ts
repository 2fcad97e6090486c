// `npm run migrate -w edge`: applies edge/migrations to DATABASE_URL, as the Node entry does at start. Workers never
// migrate, so a Worker under `wrangler dev` (the Tiltfile's `edge`) needs this run first against its database.
import ws from 'ws';
import { openNeon } from '../adapters/neon/index.ts';
import { parseConfig } from '../config.ts';
import { loadMigrations } from './files.ts';
import { migrate } from './index.ts';

const config = parseConfig({ APP_ENV: 'development', ...process.env });
const neon = openNeon({
  connectionString: config.DATABASE_URL,
  wsProxy: config.NEON_WS_PROXY,
  webSocketConstructor: ws,
});
try {
  const applied = await migrate(neon.sql, await loadMigrations());
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'metadata schema up to date');
} finally {
  await neon.end();
}
