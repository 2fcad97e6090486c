import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { parseConfig } from '@flowforge/edge/config';
import { symbolChannel } from '@flowforge/edge/live';
import { createNodeDeps, type NodeDeps } from '@flowforge/edge/node-deps';
import { migrate, prefixedDatabases, dropDatabases, tablesOf } from '@flowforge/pipeline/clickhouse';
import { LiveMarket, produceBurst, sendTrades } from '@flowforge/pipeline/generator';
import { ensureTopics } from '@flowforge/pipeline/streams';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { freePort } from '../../scripts/stack-lib/free-port.ts';
import { startPrivateStack } from '../../scripts/stack-lib/private-stack.ts';
import { connectDashboard, type TestSocket } from './test-support/fanout-client.ts';
import { createSymbolDashboard, fanoutEnv } from './test-support/live-dashboard.ts';
import { countRows, openLiveStack, waitFor, type LiveStack } from './test-support/live-stack.ts';
import { ExactlyOnceConsumer, type SinkBatch } from './workers/exactly-once-consumer.ts';
import { tradeSink } from './workers/raw-sinks.ts';
import { startWorkers } from './workers/start.ts';
import { startFanoutServer } from './fanout/start.ts';

/**
 * Data plane numbers on the shared stack, each measured once per run (vitest's ops/s of a 1-iteration bench is just
 * 1 / duration): worker ingest into ClickHouse per batch size, trade produced → invalidation received, and one tick
 * fanned out to N WebSocket clients with the fan-out process's memory. The derived figures go to bench/sections/,
 * which `npm run bench` appends to bench/results.md. Sizes: BENCH_TRADES (100 000), BENCH_CLIENTS (1 000).
 */
const TRADES = Number(process.env.BENCH_TRADES ?? 100_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const BATCH_SIZES = [1_000, 5_000, 20_000];
const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };
const lines: string[] = [];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

let stack: LiveStack;
let metadata: NodeDeps;

beforeAll(async () => {
  stack = await openLiveStack('bench');
  await ensureTopics(stack.kafka, Object.values(stack.topics));
  metadata = await createNodeDeps(parseConfig(fanoutEnv), { migrate: true });
  await produceBurst(stack.producer, new LiveMarket(99), TRADES, { topics: stack.topics });
  lines.push(
    '## Data plane (`dataplane/src/dataplane.bench.ts`)',
    '',
    `Kafka 4.1 KRaft, ClickHouse = chdb behind the stack's Python HTTP server, Redis 7; all on loopback, one 2-core machine shared with other work (load average ${loadavg()[0]!.toFixed(1)} at the start).`,
    '',
    '| measurement | result |',
    '|---|---|',
  );
}, 300_000);

afterAll(async () => {
  lines.push('');
  mkdirSync(join(import.meta.dirname, '..', '..', 'bench', 'sections'), { recursive: true });
  writeFileSync(join(import.meta.dirname, '..', '..', 'bench', 'sections', 'dataplane.md'), lines.join('\n'));
  await metadata?.close();
  await stack?.close();
});

describe(`worker ingest: ${TRADES.toLocaleString('en-US')} trades from raw.trades (3 partitions) into ClickHouse`, () => {
  for (const batchSize of BATCH_SIZES) {
    bench(
      `batch size ${batchSize}`,
      async () => {
        const databases = prefixedDatabases(`${stack.prefix}_b${batchSize}`);
        await migrate(stack.clickhouse, databases);
        const table = tablesOf(databases).rawTrades;
        const workers = await startWorkers(
          stack.config({
            databases,
            groupPrefix: `${stack.prefix}-b${batchSize}`,
            roles: ['trades'],
            batchSize,
          }),
        );
        const count = () => stack.count(`SELECT count() FROM ${table}`);
        // startWorkers returns once every group member has joined: the rebalances of members joining one after the
        // other (the stack's broker has no initial rebalance delay) are start-up, not ingest.
        const settled = performance.now();
        const settledRows = await count();
        await waitFor('every trade', async () => ((await count()) >= TRADES ? true : undefined), 300_000, 50);
        const seconds = (performance.now() - settled) / 1000;
        await workers.stop();
        await dropDatabases(stack.clickhouse, databases);
        const rate =
          settledRows < TRADES / 2
            ? `${Math.round((TRADES - settledRows) / seconds).toLocaleString('en-US')} trades/s (group joined → all ${TRADES.toLocaleString('en-US')} rows; ${settledRows.toLocaleString('en-US')} stored while joining)`
            : `${settledRows.toLocaleString('en-US')} rows stored while the group was joining: raise BENCH_TRADES`;
        lines.push(`| ingest, batch size ${batchSize.toLocaleString('en-US')} | ${rate} |`);
      },
      once,
    );
  }
});

const ENGINES = {
  shared: "on the stack's shared chdb server (every suite on the machine queues there)",
  private:
    "on a private chdb server (`startPrivateStack`, this checkout's server.py; only this bench queries it)",
} as const;

/** Before and after partitions got their own group members, on the same engine in alternating rounds. */
const LAYOUTS = {
  shared: {
    members: 1,
    label: "one kafkajs consumer for the 3 partitions (before: a fetch waits for every partition's insert)",
  },
  own: { members: undefined, label: "one group member per partition (the worker's default)" },
} as const;
type Layout = keyof typeof LAYOUTS;

const latencyMeasured = new Set<keyof typeof ENGINES>();
/** The layouts take turns, ROUNDS × PER_ROUND trades each, so a load swing on the machine hits both alike. */
const ROUNDS = 4;
const PER_ROUND = 10;

interface LatencySample {
  id: string;
  produced: number;
  tick: number;
  received: number;
}

/** Everything one layout measured over its rounds. */
interface LayoutRun {
  samples: LatencySample[];
  stages: Map<string, { sink?: number; inserted?: number; notified?: number; partition?: number }>;
  inserts: { start: number; end: number; partition: number }[];
  roundTrips: number[];
  loads: number[];
}

/** A dashboard of a fresh tenant whose widget filters AAPL: what the latency and fan-out benches subscribe to. */
async function aaplDashboard(): Promise<{ tenant: string; dashboardId: string }> {
  const tenant = `bench-${crypto.randomUUID().slice(0, 8)}`;
  const { dashboardId } = await createSymbolDashboard(
    metadata.deps.metadata.open().store,
    tenant,
    stack.databases.flowforge,
    'AAPL',
  );
  return { tenant, dashboardId };
}

/**
 * One AAPL trade every 700 ms among 500 other trades/s, through the trades worker (its default max wait), timed per
 * stage. Once per engine: vitest's bench may call the first bench of a group twice (a warm-up).
 */
async function measureLatency(engine: keyof typeof ENGINES, clickhouse: ClickHouseClient): Promise<void> {
  if (latencyMeasured.has(engine)) return;
  latencyMeasured.add(engine);
  const { tenant, dashboardId } = await aaplDashboard();
  const ticks = stack.redis.duplicate();
  const tickAt: number[] = [];
  await ticks.subscribe(symbolChannel('AAPL'));
  ticks.on('message', () => tickAt.push(performance.now()));
  const fanout = await startFanoutServer({ ...process.env, ...fanoutEnv }, { port: 0 });
  const client = await connectDashboard(`${fanout.url}/ws/dashboard/${dashboardId}`, {
    'x-dev-tenant': tenant,
  });
  const background = new LiveMarket(7, undefined, `bg-${Date.now()}`);
  const noise = setInterval(() => {
    const at = new Date();
    const trades = Array.from({ length: 50 }, () => background.trade(at)).filter((t) => t.symbol !== 'AAPL');
    void sendTrades(stack.producer, trades, stack.topics);
  }, 100);
  const sendAapl = (id: string) =>
    sendTrades(
      stack.producer,
      [
        {
          trade_id: id,
          event_time: new Date(),
          symbol: 'AAPL',
          side: 'BUY',
          quantity: 1,
          price: 1,
          notional: 1,
        },
      ],
      stack.topics,
    );
  const sink = tradeSink({ clickhouse, redis: stack.redis, tables: stack.tables });
  const runs = {} as Record<Layout, LayoutRun>;
  for (const name of Object.keys(LAYOUTS) as Layout[])
    runs[name] = { samples: [], stages: new Map(), inserts: [], roundTrips: [], loads: [] };

  /** One round of one layout: its consumer joins the group where the last round stopped, then PER_ROUND trades. */
  async function round(name: Layout, label: string): Promise<void> {
    const run = runs[name];
    const measured = (batch: SinkBatch) =>
      batch.messages
        .map((m) => (JSON.parse(m.value?.toString() ?? '{}') as { trade_id?: string }).trade_id ?? '')
        .filter((id) => id.startsWith('lat-'));
    const mark = (batch: SinkBatch, stage: 'sink' | 'inserted' | 'notified') => {
      const at = performance.now();
      for (const id of measured(batch))
        run.stages.set(id, { ...run.stages.get(id), [stage]: at, partition: batch.partition });
    };
    const consumer = new ExactlyOnceConsumer({
      kafka: stack.kafka,
      // One group for every round, so a round starts where the last one stopped (no backlog to catch up).
      groupId: `${stack.prefix}-latency-${engine}`,
      topic: stack.topics.trades,
      batchSize: 10_000,
      maxWaitMs: stack.config().maxWaitMs,
      members: LAYOUTS[name].members,
      async sink(batch) {
        const start = performance.now();
        mark(batch, 'sink');
        await sink.sink(batch);
        mark(batch, 'inserted');
        run.inserts.push({ start, end: performance.now(), partition: batch.partition });
      },
      async afterStored(batch) {
        await sink.afterStored(batch);
        mark(batch, 'notified');
      },
    });
    await consumer.start();
    let probing = true;
    let probe: Promise<void> | undefined;
    try {
      // The first round catches up with the ingest benches' backlog; a warm-up trade shows the group settled.
      await waitFor(
        'the backlog',
        async () =>
          (await countRows(clickhouse, `SELECT count() FROM ${stack.tables.rawTrades}`)) >= TRADES
            ? true
            : undefined,
        300_000,
        200,
      );
      const warm = client.next('invalidate', 60_000);
      await sendAapl(`warm-${label}`);
      await warm;
      // The chdb server runs one query at a time: its round trip during the run is the floor under the insert.
      probe = (async () => {
        while (probing) {
          const started = performance.now();
          await countRows(clickhouse, 'SELECT 1');
          run.roundTrips.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })();
      run.loads.push(loadavg()[0]!);
      for (let i = 0; i < PER_ROUND; i++) {
        await new Promise((resolve) => setTimeout(resolve, 700));
        const received = client.next('invalidate', 10_000);
        const id = `lat-${label}-${i}`;
        const ticksBefore = tickAt.length;
        const produced = performance.now();
        await sendAapl(id);
        const at = (await received).at;
        run.samples.push({ id, produced, tick: tickAt[ticksBefore] ?? Number.NaN, received: at });
      }
    } finally {
      probing = false;
      await probe;
      await consumer.stop();
    }
  }

  try {
    for (let r = 0; r < ROUNDS; r++)
      for (const name of Object.keys(LAYOUTS) as Layout[]) await round(name, `${name}-${r}-${Date.now()}`);
  } finally {
    clearInterval(noise);
    client.close();
    await ticks.quit();
    await fanout.close();
  }

  for (const name of Object.keys(LAYOUTS) as Layout[]) {
    const { samples, stages, inserts, roundTrips, loads } = runs[name];
    const coupled = LAYOUTS[name].members === 1;
    const stage = (from: (s: LatencySample) => number, to: (s: LatencySample) => number) => {
      const xs = samples.map((s) => to(s) - from(s)).filter((x) => Number.isFinite(x));
      return `p50 ${ms(pct(xs, 50))}, p95 ${ms(pct(xs, 95))}`;
    };
    const of = (key: 'sink' | 'inserted' | 'notified') => (s: LatencySample) =>
      stages.get(s.id)?.[key] ?? Number.NaN;
    /** When the inserts the trade's fetch waited for had ended (the trade's own time if none was in flight). */
    const freed = (s: LatencySample) =>
      Math.max(
        s.produced,
        ...inserts
          .filter((x) => x.start <= s.produced && s.produced < x.end)
          .filter((x) => coupled || x.partition === stages.get(s.id)?.partition)
          .map((x) => x.end),
      );
    lines.push(
      `| trade produced → invalidation received, ${ENGINES[engine]}, ${LAYOUTS[name].label} (${samples.length} trades in ${ROUNDS} rounds alternating with the other layout, load average ${loads.map((l) => l.toFixed(1)).join(' / ')}) | **${stage(
        (s) => s.produced,
        (s) => s.received,
      )}**, max ${ms(Math.max(...samples.map((s) => s.received - s.produced)))} |`,
      `| … waiting for the inserts in flight the trade's fetch waits for (${coupled ? 'every partition' : 'its own partition'}) | ${stage((s) => s.produced, freed)} |`,
      `| … Kafka fetch + write-ahead note (an offset commit) | ${stage(freed, of('sink'))} |`,
      `| … ClickHouse insert (with the wait for the other partitions' inserts at the one-query-at-a-time chdb server) | ${stage(of('sink'), of('inserted'))} |`,
      `| … Redis data version + publish (beside the offset commit) | ${stage(of('inserted'), of('notified'))} |`,
      `| … tick published → dashboard client got the invalidation (fan-out routing, WebSocket) | ${stage(
        (s) => s.tick,
        (s) => s.received,
      )} |`,
      `| ClickHouse \`SELECT 1\` round trip meanwhile (${roundTrips.length} probes) | p50 ${ms(pct(roundTrips, 50))}, p95 ${ms(pct(roundTrips, 95))} |`,
    );
  }
}

describe('trade produced → invalidation received (one AAPL trade every 700 ms, 500 other trades/s around it)', () => {
  bench(
    '40 AAPL trades per layout, shared ClickHouse',
    () => measureLatency('shared', stack.clickhouse),
    once,
  );
  bench(
    '40 AAPL trades per layout, private ClickHouse',
    async () => {
      if (latencyMeasured.has('private')) return;
      const engine = await startPrivateStack(['clickhouse']);
      const clickhouse = createClient({ url: engine.edgeEnv.CLICKHOUSE_URL });
      try {
        await migrate(clickhouse, stack.databases);
        await measureLatency('private', clickhouse);
      } finally {
        await clickhouse.close();
        await engine.down();
      }
    },
    once,
  );
});

describe(`fan-out: one tick to ${CLIENTS.toLocaleString('en-US')} WebSocket clients on one process`, () => {
  bench(
    `${CLIENTS} clients, 10 ticks`,
    async () => {
      const { tenant, dashboardId } = await aaplDashboard();
      const port = await freePort();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'fanout', 'main.ts')],
        {
          env: { ...process.env, ...fanoutEnv, FANOUT_PORT: String(port) },
          stdio: 'ignore',
        },
      );
      const health = async () =>
        (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
          rss_bytes: number;
          heap_used_bytes: number;
        };
      const clients: TestSocket[] = [];
      try {
        const idle = await waitFor('the fan-out process', () => health(), 60_000, 200);
        for (let i = 0; i < CLIENTS; i += 100)
          clients.push(
            ...(await Promise.all(
              Array.from({ length: Math.min(100, CLIENTS - i) }, () =>
                connectDashboard(`ws://127.0.0.1:${port}/ws/dashboard/${dashboardId}`, {
                  'x-dev-tenant': tenant,
                }),
              ),
            )),
          );
        const loaded = await health();
        const deliveries: number[] = [];
        for (let round = 0; round < 10; round++) {
          await new Promise((resolve) => setTimeout(resolve, 600));
          const all = Promise.all(clients.map((c) => c.next('invalidate', 20_000)));
          const sent = performance.now();
          await stack.redis.publish(
            symbolChannel('AAPL'),
            JSON.stringify({
              type: 'tick',
              symbol: 'AAPL',
              tables: [stack.tables.rawTrades],
              event_time: '',
            }),
          );
          const received = await all;
          deliveries.push(Math.max(...received.map((m) => m.at)) - sent);
        }
        const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
        lines.push(
          `| tick published → last of ${CLIENTS.toLocaleString('en-US')} clients received (10 ticks) | p50 ${ms(pct(deliveries, 50))}, p95 ${ms(pct(deliveries, 95))} |`,
          `| fan-out process memory, idle → ${CLIENTS.toLocaleString('en-US')} clients | RSS ${mb(idle.rss_bytes)} → ${mb(loaded.rss_bytes)} (${((loaded.rss_bytes - idle.rss_bytes) / CLIENTS / 1024).toFixed(1)} KB per client), heap ${mb(idle.heap_used_bytes)} → ${mb(loaded.heap_used_bytes)} |`,
        );
      } finally {
        for (const c of clients) c.close();
        child.kill('SIGTERM');
      }
    },
    once,
  );
});
