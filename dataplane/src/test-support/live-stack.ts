import { createClient, type ClickHouseClient } from '@clickhouse/client';
import {
  dropDatabases,
  migrate,
  prefixedDatabases,
  tablesOf,
  type Databases,
} from '@flowforge/pipeline/clickhouse';
import { kafkaClient, topicNames, type Topics } from '@flowforge/pipeline/streams';
import { Redis } from 'ioredis';
import type { Kafka, Producer } from 'kafkajs';
import { workerConfig, type WorkerConfig } from '../workers/config.ts';

/**
 * One test file's private slice of the shared stack: its own ClickHouse databases, Kafka topics and consumer groups
 * (all named `<prefix>…`, the schema migrated), so parallel runs and other suites never see its rows. `close()` removes
 * all of it.
 */
export interface LiveStack {
  prefix: string;
  databases: Databases;
  tables: ReturnType<typeof tablesOf>;
  topics: Topics;
  clickhouse: ClickHouseClient;
  redis: Redis;
  kafka: Kafka;
  producer: Producer;
  /** Worker settings pointing at this slice; `env` is the same as environment variables for a child process. */
  config(overrides?: Partial<WorkerConfig>): WorkerConfig;
  env: Record<string, string>;
  count(sql: string): Promise<number>;
  close(): Promise<void>;
}

export async function openLiveStack(label: string): Promise<LiveStack> {
  const prefix = `ff_${label}_${process.pid}_${Date.now().toString(36)}`;
  const env = {
    CLICKHOUSE_DATABASE_PREFIX: prefix,
    KAFKA_TOPIC_PREFIX: `${prefix}.`,
    KAFKA_GROUP_PREFIX: prefix,
  };
  const databases = prefixedDatabases(prefix);
  const clickhouse = createClient({ url: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123' });
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const kafka = kafkaClient(`test-${prefix}`);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await migrate(clickhouse, databases);
  const topics = topicNames(env.KAFKA_TOPIC_PREFIX);
  return {
    prefix,
    databases,
    tables: tablesOf(databases),
    topics,
    clickhouse,
    redis,
    kafka,
    producer,
    env,
    config: (overrides = {}) => ({ ...workerConfig({ ...process.env, ...env }), ...overrides }),
    count: (sql) => countRows(clickhouse, sql),
    async close() {
      await producer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      try {
        const groups = (await admin.listGroups()).groups
          .map((g) => g.groupId)
          .filter((g) => g.startsWith(prefix));
        if (groups.length > 0) await admin.deleteGroups(groups).catch(() => {});
        await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => {});
      } finally {
        await admin.disconnect();
      }
      await dropDatabases(clickhouse, databases);
      await clickhouse.close();
      redis.disconnect();
    },
  };
}

/** The first value of the first row of `sql` as a number (a count) on `clickhouse`. */
export async function countRows(clickhouse: ClickHouseClient, sql: string): Promise<number> {
  const rs = await clickhouse.query({ query: sql, format: 'JSONEachRow' });
  const [row] = await rs.json<Record<string, string | number>>();
  return Number(Object.values(row ?? { n: 0 })[0]);
}

/** Polls until `check` returns a value (not undefined) or the deadline passes; the error names what was awaited. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
  );
}
