import { createClient } from '@clickhouse/client';
import { migrate, tablesOf } from '@flowforge/pipeline/clickhouse';
import { ensureTopics, kafkaClient } from '@flowforge/pipeline/streams';
import { Redis } from 'ioredis';
import type { WorkerConfig } from './config.ts';
import { ExactlyOnceConsumer } from './exactly-once-consumer.ts';
import { quoteSink, tradeSink } from './raw-sinks.ts';
import { VwapWorker } from './vwap-worker.ts';

export interface RunningWorkers {
  stop(): Promise<void>;
}

/**
 * Starts the configured roles in this process: raw trades and raw quotes into ClickHouse (exactly once in effect) and
 * the VWAP/volatility windows. Migrates the ClickHouse schema first (idempotent), so a fresh stack just works.
 */
export async function startWorkers(config: WorkerConfig): Promise<RunningWorkers> {
  const clickhouse = createClient({
    url: config.clickhouseUrl,
    username: config.clickhouseUser,
    password: config.clickhousePassword,
  });
  // Commands issued while Redis restarts wait in the offline queue and go out on reconnect.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false });
  redis.on('error', (error: Error) => console.error(`workers: redis: ${error.message}`));
  const kafka = kafkaClient(`flowforge-workers-${process.pid}`, config.brokers);
  await migrate(clickhouse, config.databases);
  await ensureTopics(kafka, Object.values(config.topics));
  const tables = tablesOf(config.databases);

  const stoppers: (() => Promise<void>)[] = [];
  const sinkDeps = { clickhouse, redis, tables };
  const raw = { trades: tradeSink(sinkDeps), quotes: quoteSink(sinkDeps) } as const;
  for (const role of config.roles) {
    if (role === 'vwap') {
      const worker = new VwapWorker({
        kafka,
        clickhouse,
        redis,
        tables,
        topic: config.topics.trades,
        groupId: `${config.groupPrefix}-vwap`,
      });
      await worker.start();
      stoppers.push(() => worker.stop());
      continue;
    }
    const consumer = new ExactlyOnceConsumer({
      kafka,
      groupId: `${config.groupPrefix}-${role}`,
      topic: config.topics[role],
      batchSize: config.batchSize,
      maxWaitMs: config.maxWaitMs,
      members: config.groupMembers,
      sink: raw[role].sink,
      afterStored: raw[role].afterStored,
    });
    await consumer.start();
    stoppers.push(() => consumer.stop());
  }
  return {
    async stop() {
      for (const stop of stoppers) await stop();
      redis.disconnect();
      await clickhouse.close();
    },
  };
}
