// Kafka workers (what the container runs): `node --import tsx dataplane/src/workers/main.ts`. Settings from the
// environment (see config.ts); WORKER_ROLES=trades,quotes,vwap picks the consumers this process runs.
import { workerConfig } from './config.ts';
import { startWorkers } from './start.ts';

async function main(): Promise<void> {
  const config = workerConfig();
  const workers = await startWorkers(config);
  console.log(
    `workers: ${config.roles.join(', ')} consuming ${config.brokers.join(',')} → ClickHouse ${config.clickhouseUrl} (${config.databases.flowforge}), Redis ${config.redisUrl}`,
  );
  const stop = () => {
    void workers.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`workers failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
