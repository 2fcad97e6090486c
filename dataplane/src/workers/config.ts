import { DEFAULT_DATABASES, prefixedDatabases, type Databases } from '@flowforge/pipeline/clickhouse';
import { topicNames, type Topics } from '@flowforge/pipeline/streams';

export const WORKER_ROLES = ['trades', 'quotes', 'vwap'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

export interface WorkerConfig {
  brokers: string[];
  clickhouseUrl: string;
  clickhouseUser: string;
  clickhousePassword: string;
  redisUrl: string;
  databases: Databases;
  topics: Topics;
  /** Consumer group names start with this (`<prefix>-trades`, …). */
  groupPrefix: string;
  roles: WorkerRole[];
  batchSize: number;
  maxWaitMs: number;
  /** Group members per role in this process (`ExactlyOnceConsumer` `members`); unset = one per partition. */
  groupMembers?: number;
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

/** Every setting from the environment, defaults = the local stack (`scripts/stack up`). */
export function workerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const roles = (env.WORKER_ROLES ?? WORKER_ROLES.join(',')).split(',').map((r) => r.trim());
  for (const r of roles)
    if (!(WORKER_ROLES as readonly string[]).includes(r))
      throw new Error(`WORKER_ROLES: unknown role "${r}" (known: ${WORKER_ROLES.join(', ')})`);
  return {
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    clickhouseUrl: env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
    clickhouseUser: env.CLICKHOUSE_USER ?? 'default',
    clickhousePassword: env.CLICKHOUSE_PASSWORD ?? '',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    databases: env.CLICKHOUSE_DATABASE_PREFIX
      ? prefixedDatabases(env.CLICKHOUSE_DATABASE_PREFIX)
      : DEFAULT_DATABASES,
    topics: topicNames(env.KAFKA_TOPIC_PREFIX ?? ''),
    groupPrefix: env.KAFKA_GROUP_PREFIX ?? 'flowforge',
    roles: roles as WorkerRole[],
    batchSize: positiveInt('WORKER_BATCH_SIZE', env.WORKER_BATCH_SIZE ?? '10000'),
    maxWaitMs: positiveInt('WORKER_MAX_WAIT_MS', env.WORKER_MAX_WAIT_MS ?? '200'),
    ...(env.WORKER_GROUP_MEMBERS
      ? { groupMembers: positiveInt('WORKER_GROUP_MEMBERS', env.WORKER_GROUP_MEMBERS) }
      : {}),
  };
}
