import { parseConfig } from '@flowforge/edge/config';
import { createNodeDeps } from '@flowforge/edge/node-deps';
import { compile } from '@flowforge/edge/workflow';
import { LiveMarket, produceBurst } from '@flowforge/pipeline/generator';
import { ensureTopics, quoteMessage } from '@flowforge/pipeline/streams';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiveStack, waitFor, type LiveStack } from '../test-support/live-stack.ts';
import { startWorkers, type RunningWorkers } from './start.ts';

describe('workers on the real Kafka, ClickHouse and Redis', () => {
  let stack: LiveStack;
  let workers: RunningWorkers;

  beforeAll(async () => {
    stack = await openLiveStack('wk');
    await ensureTopics(stack.kafka, Object.values(stack.topics));
    workers = await startWorkers(stack.config({ batchSize: 2_000 }));
  });
  afterAll(async () => {
    await workers?.stop();
    await stack?.close();
  });

  it('stores every produced trade once: counts per symbol equal what was produced', async () => {
    const produced = await produceBurst(stack.producer, new LiveMarket(11), 20_000, { topics: stack.topics });
    const total = Object.values(produced).reduce((a, b) => a + b, 0);
    expect(total).toBe(20_000);
    await waitFor('20 000 rows', async () =>
      (await stack.count(`SELECT count() FROM ${stack.tables.rawTrades}`)) >= total ? true : undefined,
    );
    const rs = await stack.clickhouse.query({
      query: `SELECT symbol, count() AS n, uniqExact(trade_id) AS ids FROM ${stack.tables.rawTrades} GROUP BY symbol`,
      format: 'JSONEachRow',
    });
    const rows = await rs.json<{ symbol: string; n: string; ids: string }>();
    expect(Object.fromEntries(rows.map((r) => [r.symbol, Number(r.n)]))).toEqual(produced);
    expect(rows.every((r) => r.n === r.ids)).toBe(true);
    // The rollup MVs saw the same inserts.
    expect(await stack.count(`SELECT sum(trade_count) FROM ${stack.tables.hourlyRollup}`)).toBe(total);
  });

  it('keeps latest.quote current for the redis store: the newest quote of a batch, read by the edge as a row', async () => {
    const symbol = `Q${stack.prefix.slice(-8).toUpperCase()}`;
    const quote = (second: number, bid: number) => ({
      symbol,
      event_time: new Date(Date.UTC(2026, 0, 5, 15, 0, second)),
      bid,
      ask: bid + 0.5,
      bid_size: 100 + second,
      ask_size: 200,
      mid_price: bid + 0.25,
    });
    // The newer quote is sent first: the hash must hold the newest by event time, not the last one read.
    await stack.producer.send({
      topic: stack.topics.quotes,
      acks: -1,
      messages: [quote(2, 101.5), quote(1, 99)].map((q) => ({
        key: symbol,
        value: JSON.stringify(quoteMessage(q)),
      })),
    });
    await waitFor('latest:quote hash', async () =>
      (await stack.redis.exists(`latest:quote:${symbol}`)) ? true : undefined,
    );
    const edge = await createNodeDeps(parseConfig({ APP_ENV: 'test' }));
    try {
      const graph = {
        nodes: [
          {
            id: 'src',
            type: 'data_source',
            position: { x: 0, y: 0 },
            data: { database: 'latest', table: 'quote' },
          },
          {
            id: 'f',
            type: 'filter',
            position: { x: 0, y: 0 },
            data: { conditions: [{ column: 'symbol', op: '=', value: symbol }] },
          },
        ],
        edges: [{ id: 'e', source: 'src', target: 'f' }],
      };
      const compiled = compile(graph, 'f', { catalog: await edge.deps.catalog.tables(null) });
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
      expect(compiled.store).toBe('redis');
      const { rows } = await edge.deps.analytics.redis!.query(compiled.sql);
      expect(rows).toEqual([[symbol, 101.5, 102, 101.75, 102, 200, '2026-01-05 15:00:02.000']]);
    } finally {
      await edge.close();
      await stack.redis.del(`latest:quote:${symbol}`);
    }
  });
});

describe('a batch stored but not committed is not stored twice', () => {
  let stack: LiveStack;
  afterAll(() => stack?.close());

  it('re-forms the noted batch after the sink failed past the insert, and ClickHouse drops the repeat', async () => {
    stack = await openLiveStack('nc');
    await ensureTopics(stack.kafka, Object.values(stack.topics), 1);
    const produced = await produceBurst(stack.producer, new LiveMarket(12), 5_000, {
      topics: stack.topics,
      chunk: 1_000,
    });
    const { ExactlyOnceConsumer } = await import('./exactly-once-consumer.ts');
    const { tradeSink } = await import('./raw-sinks.ts');
    const sink = tradeSink({ clickhouse: stack.clickhouse, redis: stack.redis, tables: stack.tables });
    let calls = 0;
    const tokens: string[] = [];
    const consumer = new ExactlyOnceConsumer({
      kafka: stack.kafka,
      groupId: `${stack.prefix}-trades`,
      topic: stack.topics.trades,
      batchSize: 700,
      maxWaitMs: 100,
      async sink(batch) {
        tokens.push(batch.token);
        await sink.sink(batch);
        // The third batch is stored, then the worker "dies" before committing: kafkajs retries the batch.
        if (++calls === 3) throw new Error('crash after the insert, before the commit');
      },
      onError: () => {},
    });
    await consumer.start();
    try {
      await waitFor('5 000 rows', async () =>
        (await stack.count(`SELECT count() FROM ${stack.tables.rawTrades}`)) >= 5_000 ? true : undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await stack.count(`SELECT count() FROM ${stack.tables.rawTrades}`)).toBe(5_000);
      expect(await stack.count(`SELECT uniqExact(trade_id) FROM ${stack.tables.rawTrades}`)).toBe(5_000);
      expect(await stack.count(`SELECT sum(trade_count) FROM ${stack.tables.hourlyRollup}`)).toBe(5_000);
      // The retried batch carried the very same token as the one that was stored.
      expect(tokens[3]).toBe(tokens[2]);
      expect(Object.values(produced).reduce((a, b) => a + b, 0)).toBe(5_000);
    } finally {
      await consumer.stop();
    }
  });
});

describe("one partition's slow insert does not hold up another partition", () => {
  let stack: LiveStack;
  afterAll(() => stack?.close());

  it("sinks a batch of partition 1 while partition 0's insert is still running", async () => {
    stack = await openLiveStack('part');
    await ensureTopics(stack.kafka, [stack.topics.trades], 2);
    const { ExactlyOnceConsumer } = await import('./exactly-once-consumer.ts');
    let release = () => {};
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let entered = () => {};
    const slowInsertRunning = new Promise<void>((resolve) => (entered = resolve));
    const sunk: string[] = [];
    const consumer = new ExactlyOnceConsumer({
      kafka: stack.kafka,
      groupId: `${stack.prefix}-trades`,
      topic: stack.topics.trades,
      batchSize: 100,
      maxWaitMs: 50,
      async sink(batch) {
        const values = batch.messages.map((m) => m.value?.toString() ?? '');
        // Partition 0's first insert hangs until the test releases it.
        if (batch.partition === 0 && values.includes('slow')) {
          entered();
          await blocked;
        }
        sunk.push(...values.map((v) => `${batch.partition}:${v}`));
      },
    });
    await consumer.start();
    try {
      const send = (partition: number, value: string) =>
        stack.producer.send({ topic: stack.topics.trades, acks: -1, messages: [{ partition, value }] });
      await send(0, 'slow');
      await slowInsertRunning;
      await send(1, 'fast');
      await waitFor(
        'partition 1 to be sunk',
        async () => (sunk.includes('1:fast') ? true : undefined),
        15_000,
      );
      expect(sunk).toEqual(['1:fast']);
      release();
      await waitFor(
        'partition 0 to be sunk',
        async () => (sunk.includes('0:slow') ? true : undefined),
        15_000,
      );
    } finally {
      release();
      await consumer.stop();
    }
  });
});

describe('SIGKILL a worker mid-way through a 100 000-trade burst', () => {
  let stack: LiveStack;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await stack?.close();
  });

  const startWorkerProcess = (env: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts')], {
      env: { ...process.env, ...env, WORKER_ROLES: 'trades', WORKER_BATCH_SIZE: '2000' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };

  it('after a restart holds exactly 100 000 rows and no duplicate', async () => {
    const N = 100_000;
    stack = await openLiveStack('kill');
    await ensureTopics(stack.kafka, Object.values(stack.topics));
    const produced = await produceBurst(stack.producer, new LiveMarket(13), N, { topics: stack.topics });
    const rows = () => stack.count(`SELECT count() FROM ${stack.tables.rawTrades}`);

    const first = startWorkerProcess(stack.env);
    const before = await waitFor('the first worker to store some batches', async () => {
      const n = await rows();
      return n >= 10_000 ? n : undefined;
    });
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = await rows();
    expect(before).toBeLessThan(N);
    expect(atKill).toBeLessThan(N);

    const second = startWorkerProcess(stack.env);
    await waitFor('all rows after the restart', async () => ((await rows()) >= N ? true : undefined), 60_000);
    // Whatever the second worker redelivers arrives now; give it a moment, then count.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    second.kill('SIGTERM');
    expect(await rows()).toBe(N);
    expect(await stack.count(`SELECT uniqExact(trade_id) FROM ${stack.tables.rawTrades}`)).toBe(N);
    const rs = await stack.clickhouse.query({
      query: `SELECT symbol, count() AS n FROM ${stack.tables.rawTrades} GROUP BY symbol`,
      format: 'JSONEachRow',
    });
    const perSymbol = await rs.json<{ symbol: string; n: string }>();
    expect(Object.fromEntries(perSymbol.map((r) => [r.symbol, Number(r.n)]))).toEqual(produced);
  }, 120_000);
});
