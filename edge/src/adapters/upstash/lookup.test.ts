// The redis store on the real stack: hashes in the stack's Redis (written where the workers write them), read through
// the edge's preview route and the Upstash REST server, checked against the engine's independent oracle and by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataVersionKey, latestKey } from '../../live/keys.ts';
import { EngineError } from '../../ports/analytics-engine.ts';
import { startHarness, type Harness } from '../../test-support/harness.ts';
import { stackEnv, uniqueTenant } from '../../test-support/stack.ts';
import { evaluateGraph } from '../../workflow/testing/oracle.ts';
import type { TableData } from '../../workflow/testing/dataset.ts';
import { upstashClient } from './index.ts';
import { RedisCatalogSource, RedisLookupEngine } from './lookup.ts';

const redis = upstashClient({
  url: stackEnv.UPSTASH_REDIS_REST_URL,
  token: stackEnv.UPSTASH_REDIS_REST_TOKEN,
});
// Symbols no other run or the live workers write: the shared Redis holds real `latest:quote:*` hashes too.
const run = crypto.randomUUID().slice(0, 6).toUpperCase();
const SYMBOLS = ['A', 'B', 'C', 'D'].map((s) => `T${run}${s}`);
const [A, B, C, D] = SYMBOLS as [string, string, string, string];
const QUOTES: Record<string, Record<string, string>> = {
  [A]: {
    bid: '189.5',
    ask: '189.7',
    mid_price: '189.6',
    bid_size: '300',
    ask_size: '200',
    event_time: '2026-01-05T15:00:01.250Z',
  },
  [B]: {
    bid: '410.25',
    ask: '410.5',
    mid_price: '410.375',
    bid_size: '100',
    ask_size: '100',
    event_time: '2026-01-05T15:00:00.000Z',
  },
  [C]: {
    bid: '9.5',
    ask: '9.75',
    mid_price: '9.625',
    bid_size: '1000',
    ask_size: '900',
    event_time: '2026-01-05T14:59:59.000Z',
  },
  // Written by an older writer: no ask, no mid_price.
  [D]: { bid: '10', bid_size: '5', ask_size: '7', event_time: '2026-01-04T10:00:00.000Z' },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  for (const [symbol, fields] of Object.entries(QUOTES)) await redis.hset(latestKey('quote', symbol), fields);
});
afterAll(async () => {
  await redis.del(...SYMBOLS.map((s) => latestKey('quote', s)));
  await h?.close();
});

const at = (id: string, type: string, data: unknown) => ({ id, type, position: { x: 0, y: 0 }, data });
const ours = at('src', 'data_source', { database: 'latest', table: 'quote' });
function chain(...nodes: ReturnType<typeof at>[]) {
  const all = [ours, ...nodes];
  return {
    nodes: all,
    edges: all.slice(1).map((n, i) => ({ id: `e${i}`, source: all[i]!.id, target: n.id })),
  };
}
const onlyOurs = (symbols = SYMBOLS) => ({ column: 'symbol', op: 'IN', value: symbols });

/** The same hashes as a table for the oracle: typed values, datetimes as the SQL stores print them. */
async function oracleTable(): Promise<TableData> {
  const [table] = (await new RedisCatalogSource().discover()).filter((t) => t.table === 'quote');
  const columns = table!.columns.map((c) => ({ ...c, type: c.type as TableData['columns'][number]['type'] }));
  return {
    table: 'quote',
    columns,
    rows: Object.entries(QUOTES).map(([symbol, fields]) =>
      columns.map(({ name, type }) => {
        const v = name === 'symbol' ? symbol : fields[name];
        if (v === undefined) return null;
        if (type === 'datetime') return v.replace('T', ' ').slice(0, 23);
        return type === 'string' ? v : Number(v);
      }),
    ),
  };
}

describe('redis store: previews of latest.quote', () => {
  const graphs: [string, ReturnType<typeof chain>, string][] = [
    [
      'symbol IN, select, sort by bid',
      chain(
        at('f', 'filter', { conditions: [onlyOurs()] }),
        at('sel', 'select', { columns: ['symbol', 'bid', 'ask', 'event_time'] }),
        at('s', 'sort', { sorts: [{ column: 'bid', direction: 'DESC' }] }),
      ),
      's',
    ],
    [
      'a comparison and a rename',
      chain(
        at('f', 'filter', { conditions: [onlyOurs(), { column: 'bid_size', op: '>=', value: 100 }] }),
        at('r', 'rename', { renames: { mid_price: 'mid' } }),
        at('s', 'sort', { sorts: [{ column: 'symbol', direction: 'ASC' }] }),
      ),
      's',
    ],
    [
      'IS NULL on a field an older writer did not set',
      chain(at('f', 'filter', { conditions: [onlyOurs(), { column: 'ask', op: 'IS_NULL' }] })),
      'f',
    ],
    [
      'time window',
      chain(
        at('f', 'filter', {
          conditions: [onlyOurs(), { column: 'event_time', op: '>=', value: '2026-01-05 15:00:00' }],
        }),
        at('s', 'sort', { sorts: [{ column: 'event_time', direction: 'ASC' }] }),
      ),
      's',
    ],
  ];

  it.each(graphs)('%s: same rows as the oracle', async (_name, graph, target) => {
    const res = await h.as(uniqueTenant('rl')).post('/api/v1/preview', { graph, target_node_id: target });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: unknown[][]; sql: string };
    const expected = evaluateGraph(graph, target, await h.node.deps.catalog.tables(null), [
      await oracleTable(),
    ]);
    expect(body.rows).toEqual(expected.rows);
    expect(JSON.parse(body.sql)).toMatchObject({ lookup: { database: 'latest', table: 'quote' } });
  });

  it('answers by hand: the best bid among three symbols, the tenant ACL narrowing the keys', async () => {
    const graph = chain(
      at('f', 'filter', { conditions: [onlyOurs([A, B, C])] }),
      at('sel', 'select', { columns: ['symbol', 'bid', 'event_time'] }),
      at('s', 'sort', { sorts: [{ column: 'bid', direction: 'DESC' }] }),
    );
    const tenant = uniqueTenant('rl');
    const res = await h.as(tenant).post('/api/v1/preview', { graph, target_node_id: 's', limit: 2 });
    const body = (await res.json()) as { rows: unknown[][]; truncated: boolean; columns: unknown };
    expect(body.rows).toEqual([
      [B, 410.25, '2026-01-05 15:00:00.000'],
      [A, 189.5, '2026-01-05 15:00:01.250'],
    ]);
    expect(body.truncated).toBe(true);
    expect(body.columns).toEqual([
      { name: 'symbol', type: 'string' },
      { name: 'bid', type: 'float64' },
      { name: 'event_time', type: 'datetime' },
    ]);
    // An admin restricts the tenant to A and C: B is never read.
    const acl = await h.as(tenant).put('/api/v1/acl', { allowed_symbols: [A, C], allowed_tables: null });
    expect(acl.status).toBe(200);
    const narrowed = await h.as(tenant).post('/api/v1/preview', { graph, target_node_id: 's' });
    expect(((await narrowed.json()) as { rows: unknown[][] }).rows.map((r) => r[0])).toEqual([A, C]);
  });

  it('serves a new value once the workers bump the data version of latest.quote', async () => {
    const graph = chain(
      at('f', 'filter', { conditions: [onlyOurs([A])] }),
      at('sel', 'select', { columns: ['bid'] }),
    );
    const api = h.as(uniqueTenant('rl'));
    const bid = async () =>
      (await (await api.post('/api/v1/preview', { graph, target_node_id: 'sel' })).json()) as {
        rows: unknown[][];
        cache_hit: boolean;
      };
    expect((await bid()).rows).toEqual([[189.5]]);
    // The data plane's worker tests bump latest.quote's version too, at any moment of a parallel run: the cached answer
    // is owed when the version did not move between the caching request and the repeat.
    const version = () => redis.get<string>(dataVersionKey('latest.quote'));
    let checked = false;
    for (let attempt = 0; attempt < 5 && !checked; attempt++) {
      const before = await version();
      await bid();
      const repeat = await bid();
      if ((await version()) !== before) continue;
      expect(repeat).toMatchObject({ rows: [[189.5]], cache_hit: true });
      checked = true;
    }
    expect(checked).toBe(true);
    await redis.hset(latestKey('quote', A), { bid: '190' });
    await redis.incr(dataVersionKey('latest.quote'));
    expect(await bid()).toMatchObject({ rows: [[190]], cache_hit: false });
    await redis.hset(latestKey('quote', A), QUOTES[A]!);
  });

  it('refuses a shape a point lookup cannot answer with 422 naming the supported shapes', async () => {
    const graph = chain(
      at('f', 'filter', { conditions: [onlyOurs()] }),
      at('g', 'group_by', { group_by: [], aggregations: [{ function: 'avg', column: 'bid' }] }),
    );
    const res = await h.as(uniqueTenant('rl')).post('/api/v1/preview', { graph, target_node_id: 'g' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('the redis store answers point lookups');
  });
});

describe('RedisLookupEngine', () => {
  it('reads every hash of a table with SCAN when the plan names no symbol', async () => {
    const table = { database: `fftest${run}`, table: 'quote' };
    const prefix = `${table.database}:${table.table}:`;
    for (let i = 0; i < 25; i++) await redis.hset(`${prefix}S${i}`, { bid: String(i) });
    try {
      const engine = new RedisLookupEngine(redis);
      const plan = {
        lookup: table,
        symbols: null,
        where: [{ field: 'bid', type: 'float64', op: '>=', value: 20 }],
        columns: [
          { name: 'symbol', field: 'symbol', type: 'string' },
          { name: 'bid', field: 'bid', type: 'float64' },
        ],
        sort: [{ field: 'bid', type: 'float64', direction: 'ASC' }],
        offset: 1,
        limit: 3,
      };
      const { rows } = await engine.query(JSON.stringify(plan));
      expect(rows).toEqual([
        ['S21', 21],
        ['S22', 22],
        ['S23', 23],
      ]);
    } finally {
      await redis.del(...Array.from({ length: 25 }, (_, i) => `${prefix}S${i}`));
    }
  });

  it('reports an unreachable Redis as unavailable (503) and a malformed plan as an invalid query', async () => {
    const down = new RedisLookupEngine(upstashClient({ url: 'http://127.0.0.1:1', token: 'x' }));
    const plan = {
      lookup: { database: 'latest', table: 'quote' },
      symbols: ['X'],
      where: [],
      columns: [],
      sort: [],
      offset: 0,
      limit: null,
    };
    await expect(down.query(JSON.stringify(plan))).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(new RedisLookupEngine(redis).query('SELECT 1')).rejects.toBeInstanceOf(EngineError);
    await expect(new RedisLookupEngine(redis).query('SELECT 1')).rejects.toMatchObject({
      kind: 'invalid_query',
    });
  });
});
