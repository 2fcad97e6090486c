import { parseConfig } from '@flowforge/edge/config';
import { symbolChannel } from '@flowforge/edge/live';
import { createNodeDeps, type NodeDeps } from '@flowforge/edge/node-deps';
import { sendTrades } from '@flowforge/pipeline/generator';
import type { Trade } from '@flowforge/pipeline/market';
import { ensureTopics } from '@flowforge/pipeline/streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectDashboard, type TestSocket } from '../test-support/fanout-client.ts';
import { createSymbolDashboard, fanoutEnv } from '../test-support/live-dashboard.ts';
import { openLiveStack, waitFor, type LiveStack } from '../test-support/live-stack.ts';
import { startWorkers, type RunningWorkers } from '../workers/start.ts';
import { startFanoutServer, type FanoutServer } from './start.ts';

const tenant = `fo-${crypto.randomUUID().slice(0, 8)}`;

let stack: LiveStack;
let metadata: NodeDeps;
let workers: RunningWorkers;
let fanout: FanoutServer;
let aaplWidget: string;
let dashboardId: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  stack = await openLiveStack('fo');
  await ensureTopics(stack.kafka, Object.values(stack.topics), 1);
  metadata = await createNodeDeps(parseConfig(fanoutEnv), { migrate: true });
  ({ dashboardId, widgetId: aaplWidget } = await createSymbolDashboard(
    metadata.deps.metadata.open().store,
    tenant,
    stack.databases.flowforge,
    'AAPL',
  ));
  workers = await startWorkers(stack.config({ roles: ['trades'], maxWaitMs: 50 }));
  fanout = await startFanoutServer({ ...process.env, ...fanoutEnv }, { port: 0 });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await fanout?.close();
  await workers?.stop();
  await metadata?.close();
  await stack?.close();
});

const connect = async (headers: Record<string, string> = { 'x-dev-tenant': tenant }) => {
  const s = await connectDashboard(`${fanout.url}/ws/dashboard/${dashboardId}`, headers);
  sockets.push(s);
  return s;
};

let sequence = 0;
const trade = (symbol: string): Trade => ({
  trade_id: `fo-${++sequence}`,
  event_time: new Date(),
  symbol,
  side: 'BUY',
  quantity: 10,
  price: 100,
  notional: 1000,
});

describe('fan-out: trade → Kafka → worker → Redis tick → invalidation', () => {
  it('invalidates the AAPL widget after an AAPL trade, and stays silent through an MSFT-only burst', async () => {
    const client = await connect();
    const ticker = new WebSocket(`${fanout.url}/ws/market`);
    await new Promise((resolve, reject) => ticker.once('open', resolve).once('error', reject));
    const tick = new Promise((resolve) =>
      ticker.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
    const invalidation = client.next('invalidate');
    await sendTrades(stack.producer, [trade('AAPL')], stack.topics);
    expect(await invalidation).toMatchObject({ widget_ids: [aaplWidget] });
    // The ticker gets the same trade's tick with its price.
    expect(await tick).toMatchObject({ type: 'tick', symbol: 'AAPL', price: 100, trades: 1 });
    ticker.close();

    const before = client.messages.length;
    await sendTrades(
      stack.producer,
      Array.from({ length: 200 }, () => trade('MSFT')),
      stack.topics,
    );
    await waitFor('the MSFT burst stored', async () =>
      (await stack.count(`SELECT count() FROM ${stack.tables.rawTrades} WHERE symbol = 'MSFT'`)) === 200
        ? true
        : undefined,
    );
    // Ticks follow the insert within a Redis round trip; give the fan-out a full coalescing window and more.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(client.messages.slice(before)).toEqual([]);
  });

  it('coalesces a burst of ticks into one invalidation per 500 ms', async () => {
    const client = await connect();
    const first = client.next('invalidate');
    for (let i = 0; i < 50; i++)
      await stack.redis.publish(
        symbolChannel('AAPL'),
        JSON.stringify({ type: 'tick', symbol: 'AAPL', tables: [stack.tables.rawTrades], event_time: '' }),
      );
    await first;
    await new Promise((resolve) => setTimeout(resolve, 700));
    const invalidations = client.messages.filter((m) => m.type === 'invalidate');
    expect(invalidations.length).toBeGreaterThanOrEqual(1);
    expect(invalidations.length).toBeLessThanOrEqual(2);
    if (invalidations.length === 2)
      expect(invalidations[1]!.at - invalidations[0]!.at).toBeGreaterThanOrEqual(450);
  });

  it('refuses a socket without credentials (401) and another tenant (404)', async () => {
    await expect(connect({})).rejects.toThrow(/401/);
    await expect(connect({ 'x-dev-tenant': `other-${tenant}` })).rejects.toThrow(/404/);
    await expect(connect({ 'x-dev-tenant': tenant, origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('delivers one invalidation to 1 000 concurrent clients on one process', async () => {
    const N = Number(process.env.FANOUT_TEST_CLIENTS ?? 1_000);
    const clients: TestSocket[] = [];
    for (let i = 0; i < N; i += 100)
      clients.push(...(await Promise.all(Array.from({ length: Math.min(100, N - i) }, () => connect()))));
    // Let the last tick's coalescing window from the previous test pass.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const all = Promise.all(clients.map((c) => c.next('invalidate', 20_000)));
    await stack.redis.publish(
      symbolChannel('AAPL'),
      JSON.stringify({ type: 'tick', symbol: 'AAPL', tables: [stack.tables.rawTrades], event_time: '' }),
    );
    const received = await all;
    expect(received).toHaveLength(N);
    expect(received.every((m) => m.widget_ids?.[0] === aaplWidget)).toBe(true);
    expect(fanout.hub.stats.clients).toBeGreaterThanOrEqual(N);
    for (const c of clients) c.close();
  }, 60_000);
});
