import { Kafka, logLevel } from 'kafkajs';
import { kafkaAuth } from './kafka-auth.ts';
import { TOPICS } from './messages.ts';

export const KAFKA_DEFAULTS = {
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  /** Enough partitions for three workers to share the load; a symbol always lands in the same one. */
  partitions: 3,
};

const LOG_LEVELS: Record<string, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
};

/**
 * KAFKA_LOG_LEVEL=nothing|error|warn|info (default error; the test suites silence kafkajs' retried errors). TLS and SASL
 * (SCRAM, MSK IAM) from the environment: see `kafkaAuth`.
 */
export function kafkaClient(clientId: string, brokers = KAFKA_DEFAULTS.brokers): Kafka {
  const level = LOG_LEVELS[process.env.KAFKA_LOG_LEVEL ?? 'error'] ?? logLevel.ERROR;
  return new Kafka({
    clientId,
    brokers,
    logLevel: level,
    retry: { retries: 8 },
    ...kafkaAuth(process.env, brokers),
  });
}

/** Creates the raw topics with `partitions` partitions unless they exist (the broker would auto-create them with one). */
export async function ensureTopics(
  kafka: Kafka,
  topics: string[] = Object.values(TOPICS),
  partitions = KAFKA_DEFAULTS.partitions,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0)
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
      });
  } finally {
    await admin.disconnect();
  }
}
