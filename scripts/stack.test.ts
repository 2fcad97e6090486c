// Integration tests of the local stack through the product's own clients (`npm test` runs `scripts/stack up` first).
import { randomUUID } from 'node:crypto';
import { ClickHouseLogLevel, createClient, type ClickHouseError } from '@clickhouse/client';
import { createClient as createWebClient } from '@clickhouse/client-web';
import { Pool, neonConfig } from '@neondatabase/serverless';
import { Redis } from '@upstash/redis';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import ws from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { RespConnection, type RespValue } from './stack-lib/resp.ts';
import {
  CLICKHOUSE_URL,
  KAFKA_BROKERS,
  PORTS,
  POSTGRES_URL,
  STACK_HOST,
  UPSTASH_TOKEN,
  UPSTASH_URL,
  neonWsProxy,
} from './stack-lib/services.ts';

const runId = randomUUID().slice(0, 8);

describe('PostgreSQL through the Neon WebSocket proxy', () => {
  neonConfig.webSocketConstructor = ws;
  neonConfig.wsProxy = neonWsProxy;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  const pool = new Pool({ connectionString: POSTGRES_URL, max: 2 });
  afterAll(() => pool.end());

  it('round-trips rows with bound parameters over @neondatabase/serverless', async () => {
    const client = await pool.connect();
    try {
      await client.query(
        'CREATE TEMP TABLE stack_probe (id int PRIMARY KEY, label text, price numeric(18,6))',
      );
      await client.query('INSERT INTO stack_probe VALUES ($1, $2, $3), ($4, $5, $6)', [
        1,
        "it's ✓",
        '101.250000',
        2,
        'second',
        '0.000001',
      ]);
      const { rows } = await client.query<{ id: number; label: string; price: string }>(
        'SELECT id, label, price FROM stack_probe WHERE id >= $1 ORDER BY id',
        [1],
      );
      expect(rows).toEqual([
        { id: 1, label: "it's ✓", price: '101.250000' },
        { id: 2, label: 'second', price: '0.000001' },
      ]);
      const { rows: meta } = await client.query<{ db: string; version: string }>(
        'SELECT current_database() AS db, current_setting($1) AS version',
        ['server_version_num'],
      );
      expect(meta[0]?.db).toBe('flowforge');
      expect(Number(meta[0]?.version)).toBeGreaterThanOrEqual(150000);
    } finally {
      client.release();
    }
  });
});

describe('Redis through the Upstash-compatible REST server', () => {
  const redis = new Redis({ url: UPSTASH_URL, token: UPSTASH_TOKEN, retry: false });
  const key = (name: string): string => `stack-test:${runId}:${name}`;

  it('sets, gets and expires keys, including non-ASCII and JSON values', async () => {
    expect(await redis.set(key('greeting'), 'héllo ✓')).toBe('OK');
    expect(await redis.get<string>(key('greeting'))).toBe('héllo ✓');
    await redis.set(key('doc'), { symbol: 'AAPL', qty: 3 });
    expect(await redis.get(key('doc'))).toEqual({ symbol: 'AAPL', qty: 3 });
    expect(await redis.ttl(key('greeting'))).toBe(-1);
    expect(await redis.expire(key('greeting'), 30)).toBe(1);
    const ttl = await redis.ttl(key('greeting'));
    expect(ttl).toBeGreaterThan(25);
    expect(ttl).toBeLessThanOrEqual(30);
    await redis.set(key('short'), 'x', { px: 150 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await redis.get(key('short'))).toBeNull();
    expect(await redis.incrby(key('counter'), 5)).toBe(5);
    expect(await redis.type(key('counter'))).toBe('string');
    expect(await redis.del(key('greeting'), key('doc'), key('counter'))).toBe(3);
  });

  it('runs pipelines and MULTI/EXEC transactions', async () => {
    const pipeline = redis.pipeline();
    pipeline.set(key('p'), 'one');
    pipeline.rpush(key('list'), 'a', 'b', 'c');
    pipeline.lrange(key('list'), 0, -1);
    pipeline.get(key('p'));
    expect(await pipeline.exec()).toEqual(['OK', 3, ['a', 'b', 'c'], 'one']);

    const tx = redis.multi();
    tx.incr(key('tx'));
    tx.incr(key('tx'));
    tx.get(key('tx'));
    tx.del(key('p'), key('list'), key('tx'));
    expect(await tx.exec()).toEqual([1, 2, 2, 3]);
  });

  it('reports Redis errors and rejects a wrong token', async () => {
    await redis.set(key('plain'), 'text');
    await expect(redis.incr(key('plain'))).rejects.toThrow(/not an integer/);
    await redis.del(key('plain'));
    const intruder = new Redis({ url: UPSTASH_URL, token: 'wrong-token', retry: false });
    await expect(intruder.get(key('plain'))).rejects.toThrow(/Unauthorized/);
  });

  it('publishes to a real Redis subscriber', async () => {
    const subscriber = await RespConnection.connect(STACK_HOST, PORTS.redis);
    try {
      const channel = key('ticks');
      const received = new Promise<RespValue>((resolve) => {
        subscriber.onPush = resolve;
      });
      const confirmation = await subscriber.command(['SUBSCRIBE', channel]);
      expect(confirmation).toEqual([Buffer.from('subscribe'), Buffer.from(channel), 1]);
      expect(await redis.publish(channel, 'AAPL 187.25')).toBe(1);
      expect(await received).toEqual([
        Buffer.from('message'),
        Buffer.from(channel),
        Buffer.from('AAPL 187.25'),
      ]);
    } finally {
      subscriber.close();
    }
  });
});

describe('ClickHouse HTTP (chdb) through @clickhouse/client', () => {
  // The client logs every failed request; the failures below are expected and asserted instead.
  const clickhouse = createClient({ url: CLICKHOUSE_URL, log: { level: ClickHouseLogLevel.OFF } });
  afterAll(() => clickhouse.close());
  const symbol = `TEST-${runId}`;

  // DDL exactly as the plan's clickhouse-init ConfigMap (000_init.sql, 001_mvs.sql).
  const ddl = [
    'CREATE DATABASE IF NOT EXISTS flowforge',
    'CREATE DATABASE IF NOT EXISTS metrics',
    `CREATE TABLE IF NOT EXISTS flowforge.raw_trades (
        trade_id      String,
        event_time    DateTime64(3),
        symbol        String,
        side          Enum8('BUY'=1, 'SELL'=2),
        quantity      Decimal(18,4),
        price         Decimal(18,6),
        notional      Decimal(18,4)
    ) ENGINE = MergeTree()
    ORDER BY (symbol, event_time)
    PARTITION BY toYYYYMM(event_time)`,
    `CREATE TABLE IF NOT EXISTS metrics.hourly_rollup (
        symbol        String,
        hour          DateTime,
        open          Decimal(18,6),
        high          Decimal(18,6),
        low           Decimal(18,6),
        close         Decimal(18,6),
        vwap          Decimal(18,6),
        total_volume  Decimal(18,4),
        trade_count   UInt32
    ) ENGINE = MergeTree()
    ORDER BY (symbol, hour)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS metrics.hourly_rollup_mv
    TO metrics.hourly_rollup AS
    SELECT
        symbol,
        toStartOfHour(event_time) AS hour,
        argMin(price, event_time) AS open,
        max(price) AS high,
        min(price) AS low,
        argMax(price, event_time) AS close,
        sum(notional) / sum(quantity) AS vwap,
        sum(quantity) AS total_volume,
        count() AS trade_count
    FROM flowforge.raw_trades
    GROUP BY symbol, hour`,
  ];

  const trades = [
    {
      trade_id: `${runId}-1`,
      event_time: '2026-11-25 10:00:01.125',
      symbol,
      side: 'BUY',
      quantity: '2.5000',
      price: '100.000000',
      notional: '250.0000',
    },
    {
      trade_id: `${runId}-2`,
      event_time: '2026-11-25 10:30:00.000',
      symbol,
      side: 'SELL',
      quantity: '1.0000',
      price: '104.500000',
      notional: '104.5000',
    },
    {
      trade_id: `${runId}-3`,
      event_time: '2026-11-25 10:59:59.999',
      symbol,
      side: 'BUY',
      quantity: '1.5000',
      price: '98.000000',
      notional: '147.0000',
    },
  ];

  afterAll(async () => {
    for (const table of ['flowforge.raw_trades', 'metrics.hourly_rollup']) {
      await clickhouse.command({
        query: `DELETE FROM ${table} WHERE symbol = {s:String}`,
        query_params: { s: symbol },
      });
    }
  });

  it('answers ping', async () => {
    expect((await clickhouse.ping()).success).toBe(true);
  });

  it("creates the plan's raw_trades, inserts JSONEachRow and reads it back with {s:String}", async () => {
    for (const query of ddl) await clickhouse.command({ query });
    const columns = await clickhouse.query({
      query:
        'SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {t:String} ORDER BY position',
      query_params: { db: 'flowforge', t: 'raw_trades' },
      format: 'JSONEachRow',
    });
    expect(await columns.json()).toEqual([
      { name: 'trade_id', type: 'String' },
      { name: 'event_time', type: 'DateTime64(3)' },
      { name: 'symbol', type: 'String' },
      { name: 'side', type: "Enum8('BUY' = 1, 'SELL' = 2)" },
      { name: 'quantity', type: 'Decimal(18, 4)' },
      { name: 'price', type: 'Decimal(18, 6)' },
      { name: 'notional', type: 'Decimal(18, 4)' },
    ]);

    const insert = await clickhouse.insert({
      table: 'flowforge.raw_trades',
      values: trades,
      format: 'JSONEachRow',
    });
    expect(insert.executed).toBe(true);

    const result = await clickhouse.query({
      query: `SELECT trade_id, event_time, side, toString(quantity) AS quantity, toString(price) AS price
              FROM flowforge.raw_trades WHERE symbol = {s:String} AND side = {side:String} ORDER BY event_time`,
      query_params: { s: symbol, side: 'BUY' },
      format: 'JSONEachRow',
    });
    expect(result.response_headers['x-clickhouse-format']).toBe('JSONEachRow');
    expect(await result.json()).toEqual([
      {
        trade_id: `${runId}-1`,
        event_time: '2026-11-25 10:00:01.125',
        side: 'BUY',
        quantity: '2.5',
        price: '100',
      },
      {
        trade_id: `${runId}-3`,
        event_time: '2026-11-25 10:59:59.999',
        side: 'BUY',
        quantity: '1.5',
        price: '98',
      },
    ]);
  });

  it('feeds the materialized view TO metrics.hourly_rollup', async () => {
    const result = await clickhouse.query({
      query: `SELECT hour, toString(open) AS open, toString(high) AS high, toString(low) AS low, toString(close) AS close,
                     toString(vwap) AS vwap, toString(total_volume) AS volume, trade_count
              FROM metrics.hourly_rollup WHERE symbol = {s:String}`,
      query_params: { s: symbol },
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([
      {
        hour: '2026-11-25 10:00:00',
        open: '100',
        high: '104.5',
        low: '98',
        close: '98',
        vwap: '100.3',
        volume: '5',
        trade_count: 3,
      },
    ]);
  });

  it('stops a query at max_execution_time with TIMEOUT_EXCEEDED (159)', async () => {
    const started = Date.now();
    const error = await clickhouse
      .query({ query: 'SELECT count() FROM numbers(1e12)', clickhouse_settings: { max_execution_time: 1 } })
      .then(
        () => undefined,
        (e: unknown) => e as ClickHouseError,
      );
    expect(error?.code).toBe('159');
    expect(error?.type).toBe('TIMEOUT_EXCEEDED');
    expect(error?.message).toMatch(/Timeout exceeded/);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The limit was a per-request setting: the next query runs under the server's guards again (server.py GUARDS:
    // 300 s and 6 GB a query, so one runaway query cannot stall or starve the shared engine).
    const after = await clickhouse.query({
      query: "SELECT getSetting('max_execution_time') AS t, getSetting('max_memory_usage') AS m",
      format: 'JSONEachRow',
    });
    const [guards] = (await after.json()) as { t: number | string; m: number | string }[];
    expect([Number(guards!.t), Number(guards!.m)]).toEqual([300, 6_000_000_000]);
  });

  it('reports SQL errors with their ClickHouse code', async () => {
    await expect(clickhouse.query({ query: 'SELECT * FROM flowforge.no_such_table' })).rejects.toMatchObject({
      code: '60',
      type: 'UNKNOWN_TABLE',
    });
  });

  it('serves @clickhouse/client-web too', async () => {
    const web = createWebClient({ url: CLICKHOUSE_URL });
    try {
      const result = await web.query({
        query:
          'SELECT count() AS n, toString(sum(notional)) AS total FROM flowforge.raw_trades WHERE symbol = {s:String}',
        query_params: { s: symbol },
        format: 'JSONEachRow',
      });
      expect(await result.json()).toEqual([{ n: 3, total: '501.5' }]);
    } finally {
      await web.close();
    }
  });
});

describe('Kafka (KRaft broker) through kafkajs', () => {
  // kafkajs logs every retry it makes while a new topic gets its leader and a fresh broker loads the group coordinator;
  // real failures still reach the assertions as rejected promises.
  const kafka = new Kafka({
    clientId: `stack-test-${runId}`,
    brokers: KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const topic = `stack-test-${runId}`;
  const groupId = `stack-test-group-${runId}`;

  async function consume(consumer: Consumer, count: number, timeoutMs: number): Promise<KafkaMessage[]> {
    const messages: KafkaMessage[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            messages.push(message);
            await consumer.commitOffsets([
              { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
            ]);
            if (messages.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return messages;
  }

  it('produces to an auto-created topic and consumes with manual commits in a consumer group', async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: [
          { key: 'AAPL', value: JSON.stringify({ price: 187.25 }) },
          { key: 'MSFT', value: JSON.stringify({ price: 411.1 }) },
        ],
      });

      const first = kafka.consumer({ groupId });
      const firstBatch = await consume(first, 2, 30_000).finally(() => first.disconnect());
      expect(firstBatch.map((m) => [m.key?.toString(), JSON.parse(m.value?.toString() ?? 'null')])).toEqual([
        ['AAPL', { price: 187.25 }],
        ['MSFT', { price: 411.1 }],
      ]);

      await producer.send({ topic, messages: [{ key: 'NVDA', value: JSON.stringify({ price: 950 }) }] });
      // Committed offsets survive the first consumer: the group resumes after MSFT. A re-delivery would arrive before
      // NVDA (lower offset), so stopping at the first message received is enough to see it.
      const second = kafka.consumer({ groupId });
      const secondBatch = await consume(second, 1, 30_000).finally(() => second.disconnect());
      expect(secondBatch.map((m) => m.key?.toString())).toEqual(['NVDA']);
      expect(secondBatch[0]?.offset).toBe('2');
    } finally {
      await producer.disconnect();
    }
  });
});
