import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { UpstashCache, upstashClient } from '../adapters/upstash/index.ts';
import { RefreshingCatalog } from '../catalog/index.ts';
import { dataVersionKey } from '../live/keys.ts';
import type { AnalyticsEngine } from '../ports/analytics-engine.ts';
import type { Cache } from '../ports/cache.ts';
import { node } from '../test-support/graphs.ts';
import { startHarness, type Harness } from '../test-support/harness.ts';
import { privateTable } from '../test-support/private-table.ts';
import { uniqueTenant } from '../test-support/stack.ts';

const table = privateTable(
  'edge_early_run_test',
  'symbol String, price Float64',
  "('AAPL', 1.5), ('MSFT', 2.25)",
);
let h: Harness;

beforeAll(async () => {
  await table.create();
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
  await table.drop();
});

/** A different graph (so a different cache key) over the same table for each `nonce`. */
const graphOf = (nonce: string) => ({
  nodes: [
    node('src', 'data_source', { database: 'flowforge', table: table.table, _nonce: nonce }),
    node('srt', 'sort', { sorts: [{ column: 'symbol', direction: 'ASC' }] }),
  ],
  edges: [{ id: 'e', source: 'src', target: 'srt' }],
});

/**
 * Another server process on the same stack: its own cache client, catalog and memory, the real Upstash and ClickHouse.
 * `events` records when the cache read leaves and answers and when the engine starts, so the order is observable.
 */
function otherProcess(rateLimitPerMinute?: number) {
  const events: string[] = [];
  const signals: AbortSignal[] = [];
  const upstash = new UpstashCache(
    upstashClient({ url: h.config.UPSTASH_REDIS_REST_URL, token: h.config.UPSTASH_REDIS_REST_TOKEN }),
  );
  const cache: Cache = {
    get: (key) => upstash.get(key),
    async getMany(keys) {
      events.push('read');
      const values = await upstash.getMany(keys);
      events.push('read done');
      return values;
    },
    set: (key, value, ttl) => upstash.set(key, value, ttl),
    ping: () => upstash.ping(),
  };
  const clickhouseEngine = h.node.deps.analytics.clickhouse!;
  const engine: AnalyticsEngine = {
    store: clickhouseEngine.store,
    query(sql, options) {
      events.push('engine');
      if (options?.signal) signals.push(options.signal);
      return clickhouseEngine.query(sql, options);
    },
    stream: (sql, options) => clickhouseEngine.stream(sql, options),
    ping: () => clickhouseEngine.ping(),
  };
  const app = createApp({
    ...h.node.deps,
    catalog: new RefreshingCatalog((h.node.deps.catalog as RefreshingCatalog).sources),
    cache,
    analytics: { ...h.node.deps.analytics, clickhouse: engine },
    ...(rateLimitPerMinute ? { config: { ...h.config, RATE_LIMIT_PER_MINUTE: rateLimitPerMinute } } : {}),
  });
  return {
    events,
    signals,
    async ask(tenant: string, nonce: string) {
      events.length = 0;
      const res = await app.request('/api/v1/preview', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await h.jwks.token(tenant)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ graph: graphOf(nonce), target_node_id: 'srt' }),
      });
      const body = (await res.json()) as { cache: string; rows: unknown[][]; error?: { code: string } };
      return {
        status: res.status,
        body,
        timing: res.headers.get('server-timing') ?? '',
        events: [...events],
      };
    },
  };
}

const ROWS = [
  ['AAPL', 1.5],
  ['MSFT', 2.25],
];

describe('the engine started before the remote cache answers (a likely miss)', () => {
  it('waits for the cache while a table is new to the process, then runs beside the read and caches the answer', async () => {
    const p = otherProcess();
    const t = uniqueTenant('er');
    const first = await p.ask(t, 'a');
    expect(first.body).toMatchObject({ cache: 'miss', rows: ROWS });
    // The table's data version was never read here: nothing to check a stamp against, so the engine waits.
    expect(first.events).toEqual(['read', 'read done', 'engine']);

    const second = await p.ask(t, 'b');
    expect(second.body).toMatchObject({ cache: 'miss', rows: ROWS });
    expect(second.events).toEqual(['read', 'engine', 'read done']);
    expect(second.timing).toMatch(/compile;dur=.*engine;dur=/);
    expect(second.timing).not.toMatch(/engine-cancelled/);
    expect(p.signals.at(-1)!.aborted).toBe(false);

    // Its answer was cached like any other: the repeat is a hit, and no longer a likely miss.
    const again = await p.ask(t, 'b');
    expect(again.body).toMatchObject({ cache: 'hit', rows: ROWS });
    expect(again.events).toEqual(['read', 'read done']);
  });

  it('cancels the run when another process had cached the answer, and waits once likely misses keep hitting', async () => {
    const p = otherProcess();
    const t = uniqueTenant('eh');
    expect((await p.ask(t, 'warm')).body.cache).toBe('miss');
    // The stack's own app answers three keys first: to `p` they are new, so likely misses.
    for (const nonce of ['x', 'y', 'z'])
      expect(
        (await h.as(t).post('/api/v1/preview', { graph: graphOf(nonce), target_node_id: 'srt' })).status,
      ).toBe(200);

    const x = await p.ask(t, 'x');
    expect(x.body).toMatchObject({ cache: 'hit', rows: ROWS });
    expect(x.events).toEqual(['read', 'engine', 'read done']);
    expect(x.timing).toMatch(/engine-cancelled;dur=/);
    expect(x.timing).not.toMatch(/engine;dur=/);
    expect(p.signals.at(-1)!.aborted).toBe(true);

    // 1 hit among 2 likely misses is still within a tenth of the forecast's first 10; 2 are not.
    const y = await p.ask(t, 'y');
    expect(y.body.cache).toBe('hit');
    expect(y.timing).toMatch(/engine-cancelled;dur=/);
    const z = await p.ask(t, 'z');
    expect(z.body).toMatchObject({ cache: 'hit', rows: ROWS });
    expect(z.events).toEqual(['read', 'read done']);
    expect(z.timing).toMatch(/compile;dur=/);
    expect(z.timing).not.toMatch(/engine/);
  });

  it('serves but does not cache its answer when the data version moved while it ran', async () => {
    const p = otherProcess();
    const t = uniqueTenant('ev');
    expect((await p.ask(t, 'warm')).body.cache).toBe('miss');
    await table.run(`INSERT INTO ${table.name} VALUES ('TSLA', 3)`);
    await h.node.deps.cache.set(dataVersionKey(table.name), crypto.randomUUID(), 60);
    const withTsla = [...ROWS, ['TSLA', 3]];

    const first = await p.ask(t, 'moved');
    expect(first.events).toEqual(['read', 'engine', 'read done']);
    expect(first.body).toMatchObject({ cache: 'miss', rows: withTsla });
    // The run began before the new version was read: its rows could predate it, so they are not stamped with it.
    const second = await p.ask(t, 'moved');
    expect(second.body).toMatchObject({ cache: 'miss', rows: withTsla });
    expect(second.events).toEqual(['read', 'read done', 'engine']);
    expect(second.timing).not.toMatch(/compile/);
    const third = await p.ask(t, 'moved');
    expect(third.body).toMatchObject({ cache: 'hit', rows: withTsla });
    await table.run(`DELETE FROM ${table.name} WHERE symbol = 'TSLA'`);
  });

  it("cancels the run of a request the rate limit refuses, and waits for the verdict on that user's next ones", async () => {
    const p = otherProcess(2);
    const t = uniqueTenant('eq');
    expect((await p.ask(t, 'warm')).status).toBe(200);
    const admitted = await p.ask(t, 'next');
    expect(admitted.status).toBe(200);
    expect(admitted.events).toEqual(['read', 'engine', 'read done']);

    const refused = await p.ask(t, 'over');
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe('rate_limited');
    expect(refused.timing).toMatch(/engine-cancelled;dur=/);
    expect(p.signals.at(-1)!.aborted).toBe(true);

    const again = await p.ask(t, 'over again');
    expect(again.status).toBe(429);
    expect(again.events).toEqual(['read', 'read done']);
    expect(again.timing).not.toMatch(/engine/);
  });
});
