import { parseConfig } from '@flowforge/edge/config';
import { createNodeDeps, type NodeDeps } from '@flowforge/edge/node-deps';
import { sendTrades } from '@flowforge/pipeline/generator';
import { ensureTopics } from '@flowforge/pipeline/streams';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/stack-lib/free-port.ts';
import { connectDashboard, type TestSocket } from '../test-support/fanout-client.ts';
import { createSymbolDashboard, fanoutEnv } from '../test-support/live-dashboard.ts';
import { openLiveStack, waitFor, type LiveStack } from '../test-support/live-stack.ts';
import { startWorkers, type RunningWorkers } from '../workers/start.ts';
import { startFanoutServer, type FanoutServer } from './start.ts';

// Restarting the stack's shared Redis would break every other suite running meanwhile: this test gets its own.
let redisPort: number;
let redis: ChildProcess | undefined;
const startRedis = async () => {
  redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await waitFor('the private redis-server', async () => {
    const net = await import('node:net');
    return new Promise<true | undefined>((resolve) => {
      const s = net.connect(redisPort, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(undefined));
    });
  });
};

const tenant = `rr-${crypto.randomUUID().slice(0, 8)}`;
let stack: LiveStack;
let metadata: NodeDeps;
let workers: RunningWorkers;
let fanout: FanoutServer;
let client: TestSocket;
let dashboardId: string;
let widgetId: string;

beforeAll(async () => {
  redisPort = await freePort();
  await startRedis();
  stack = await openLiveStack('rr');
  await ensureTopics(stack.kafka, Object.values(stack.topics), 1);
  metadata = await createNodeDeps(parseConfig(fanoutEnv), { migrate: true });
  ({ dashboardId, widgetId } = await createSymbolDashboard(
    metadata.deps.metadata.open().store,
    tenant,
    stack.databases.flowforge,
    'AAPL',
  ));
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  workers = await startWorkers(stack.config({ roles: ['trades'], maxWaitMs: 50, redisUrl }));
  fanout = await startFanoutServer({ ...process.env, ...fanoutEnv, REDIS_URL: redisUrl }, { port: 0 });
  client = await connectDashboard(`${fanout.url}/ws/dashboard/${dashboardId}`, { 'x-dev-tenant': tenant });
});

afterAll(async () => {
  client?.close();
  await fanout?.close();
  await workers?.stop();
  await metadata?.close();
  await stack?.close();
  redis?.kill('SIGKILL');
});

let sequence = 0;
const aaplTrade = () => ({
  trade_id: `rr-${++sequence}`,
  event_time: new Date(),
  symbol: 'AAPL',
  side: 'BUY' as const,
  quantity: 1,
  price: 10,
  notional: 10,
});

describe('Redis restarted while the data plane runs', () => {
  it('workers keep storing, and workers and fan-out resume invalidating once Redis is back', async () => {
    const first = client.next('invalidate');
    await sendTrades(stack.producer, [aaplTrade()], stack.topics);
    expect((await first).widget_ids).toEqual([widgetId]);

    redis!.kill('SIGKILL');
    await new Promise((resolve) => redis!.once('exit', resolve));
    await sendTrades(stack.producer, [aaplTrade()], stack.topics);
    // Storage does not depend on Redis: the trade lands while it is down.
    await waitFor('the trade stored while Redis is down', async () =>
      (await stack.count(`SELECT count() FROM ${stack.tables.rawTrades}`)) === 2 ? true : undefined,
    );

    await startRedis();
    const resumed = client.next('invalidate', 30_000);
    // Keep trading until a tick makes it through worker → restarted Redis → re-subscribed fan-out → socket.
    const trading = setInterval(() => void sendTrades(stack.producer, [aaplTrade()], stack.topics), 500);
    try {
      expect((await resumed).widget_ids).toEqual([widgetId]);
    } finally {
      clearInterval(trading);
    }
  }, 60_000);
});
