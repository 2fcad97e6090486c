// The WebSocket fan-out (what the container runs): `node --import tsx dataplane/src/fanout/main.ts`.
// Env: FANOUT_PORT (8081), FANOUT_HOST (127.0.0.1; containers 0.0.0.0), REDIS_URL, and the edge's own variables
// (DATABASE_URL, NEON_WS_PROXY, JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, EMBED_SIGNING_SECRET, CORS_ORIGINS, APP_ENV).
import { startFanoutServer } from './start.ts';

async function main(): Promise<void> {
  const fanout = await startFanoutServer();
  console.log(`fan-out: listening on ${fanout.url}/ws/dashboard/:id`);
  const stop = () => {
    void fanout.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`fan-out failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
