import { describe, expect, it } from 'vitest';
import { compile, lookupPlanSchema, lookupRows, type LookupPlan, type LookupRecord } from './index.ts';

// The redis store's tables as the edge's catalog lists them (`RedisCatalogSource`).
const catalog = [
  {
    database: 'latest',
    table: 'quote',
    store: 'redis',
    columns: [
      { name: 'symbol', type: 'string' },
      { name: 'bid', type: 'float64', nullable: true },
      { name: 'ask', type: 'float64', nullable: true },
      { name: 'bid_size', type: 'int64', nullable: true },
      { name: 'event_time', type: 'datetime', nullable: true },
    ],
  },
  {
    database: 'flowforge',
    table: 'raw_trades',
    store: 'clickhouse',
    columns: [{ name: 'symbol', type: 'string' }],
  },
];

const source = {
  id: 'src',
  type: 'data_source',
  position: { x: 0, y: 0 },
  data: { database: 'latest', table: 'quote' },
};
const at = (id: string, type: string, data: unknown) => ({ id, type, position: { x: 0, y: 0 }, data });
function chain(...nodes: { id: string; type: string; data: unknown }[]) {
  const all = [source, ...nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } }))];
  return {
    nodes: all,
    edges: all.slice(1).map((n, i) => ({ id: `e${i}`, source: all[i]!.id, target: n.id })),
  };
}

function planOf(graph: unknown, target: string, options: { acl?: object; limit?: number } = {}): LookupPlan {
  const result = compile(graph, target, { catalog, ...options });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  expect(result.store).toBe('redis');
  return lookupPlanSchema.parse(JSON.parse(result.sql));
}

// Four hashes as Redis returns them (strings); DEMO has no ask (a hash from an older writer).
const records: LookupRecord[] = [
  {
    symbol: 'AAPL',
    fields: { bid: '189.5', ask: '189.7', bid_size: '300', event_time: '2026-01-05T15:00:01.250Z' },
  },
  {
    symbol: 'MSFT',
    fields: { bid: '410.25', ask: '410.5', bid_size: '100', event_time: '2026-01-05T15:00:00.000Z' },
  },
  {
    symbol: 'TSLA',
    fields: { bid: '9.5', ask: '9.75', bid_size: '1000', event_time: '2026-01-05T14:59:59.000Z' },
  },
  { symbol: 'DEMO', fields: { bid: '10', bid_size: '5', event_time: '2026-01-04T10:00:00.000Z' } },
];

describe('redis point lookups: compile → plan', () => {
  it('turns symbol = / IN filters into the hashes to read, and the rest into conditions, columns, order, window', () => {
    const graph = chain(
      at('f', 'filter', {
        logic: 'AND',
        conditions: [
          { column: 'symbol', op: 'IN', value: ['MSFT', 'AAPL', 'TSLA'] },
          { column: 'bid', op: '>', value: 100 },
        ],
      }),
      at('sel', 'select', { columns: ['symbol', 'bid', 'event_time'] }),
      at('ren', 'rename', { renames: { bid: 'best_bid' } }),
      at('srt', 'sort', { sorts: [{ column: 'best_bid', direction: 'DESC' }] }),
    );
    const plan = planOf(graph, 'srt', { limit: 1 });
    expect(plan).toEqual({
      lookup: { database: 'latest', table: 'quote' },
      symbols: ['AAPL', 'MSFT', 'TSLA'],
      where: [{ field: 'bid', type: 'float64', op: '>', value: 100 }],
      columns: [
        { name: 'symbol', field: 'symbol', type: 'string' },
        { name: 'best_bid', field: 'bid', type: 'float64' },
        { name: 'event_time', field: 'event_time', type: 'datetime' },
      ],
      sort: [{ field: 'bid', type: 'float64', direction: 'DESC' }],
      offset: 0,
      limit: 1,
    });
    // By hand: TSLA fails bid > 100; MSFT (410.25) sorts before AAPL (189.5); the limit keeps one.
    expect(lookupRows(plan, records)).toEqual([['MSFT', 410.25, '2026-01-05 15:00:00.000']]);
    expect(lookupRows({ ...plan, limit: null }, records)).toEqual([
      ['MSFT', 410.25, '2026-01-05 15:00:00.000'],
      ['AAPL', 189.5, '2026-01-05 15:00:01.250'],
    ]);
  });

  it('reads every hash without a symbol filter, and intersects symbol filters with the tenant ACL', () => {
    expect(planOf(chain(), 'src').symbols).toBeNull();
    const graph = chain(
      at('f', 'filter', { conditions: [{ column: 'symbol', op: 'IN', value: ['AAPL', 'TSLA'] }] }),
    );
    expect(planOf(graph, 'f', { acl: { allowedSymbols: ['TSLA', 'MSFT'] } }).symbols).toEqual(['TSLA']);
    expect(planOf(chain(), 'src', { acl: { allowedSymbols: [] } }).symbols).toEqual([]);
    expect(
      planOf(chain(at('f', 'filter', { conditions: [{ column: 'symbol', op: '=', value: 'AAPL' }] })), 'f')
        .symbols,
    ).toEqual(['AAPL']);
  });

  it('keeps an embed lock on the time column as a condition, so no row outside it comes back', () => {
    const plan = planOf(chain(), 'src', { acl: { timeFrom: '2026-01-05', timeTo: '2026-01-05' } });
    expect(plan.where.map((c) => c.op)).toEqual(['>=', '<']);
    expect(
      lookupRows({ ...plan, sort: [{ field: 'symbol', type: 'string', direction: 'ASC' }] }, records).map(
        (r) => r[0],
      ),
    ).toEqual(['AAPL', 'MSFT', 'TSLA']);
  });

  it('evaluates NULL like SQL: a missing field fails comparisons, IS NULL finds it, NULLs sort last', () => {
    const nulls = chain(at('f', 'filter', { conditions: [{ column: 'ask', op: 'IS_NULL' }] }));
    expect(lookupRows(planOf(nulls, 'f'), records).map((r) => r[0])).toEqual(['DEMO']);
    const ranged = chain(
      at('f', 'filter', { conditions: [{ column: 'ask', op: 'BETWEEN', value: [9, 200] }] }),
    );
    expect(
      lookupRows(planOf(ranged, 'f'), records)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['AAPL', 'TSLA']);
    const sorted = chain(at('s', 'sort', { sorts: [{ column: 'ask', direction: 'ASC' }] }));
    expect(lookupRows(planOf(sorted, 's'), records).map((r) => r[0])).toEqual([
      'TSLA',
      'AAPL',
      'MSFT',
      'DEMO',
    ]);
    // Numbers compare as numbers ("9.5" < "10"), not as text.
    const bids = chain(at('s', 'sort', { sorts: [{ column: 'bid', direction: 'ASC' }] }));
    expect(lookupRows(planOf(bids, 's'), records).map((r) => r[1])).toEqual([9.5, 10, 189.5, 410.25]);
  });

  it('refuses shapes a hash read cannot answer, naming what it can', () => {
    for (const [graph, target, what] of [
      [
        chain(
          at('g', 'group_by', { group_by: ['symbol'], aggregations: [{ function: 'count', column: '*' }] }),
        ),
        'g',
        'aggregate',
      ],
      [
        chain(
          at('f', 'filter', {
            logic: 'OR',
            conditions: [
              { column: 'bid', op: '>', value: 1 },
              { column: 'ask', op: '<', value: 2 },
            ],
          }),
        ),
        'f',
        'OR',
      ],
      [
        chain(at('x', 'formula', { formulas: [{ name: 'spread', expression: '[ask] - [bid]' }] })),
        'x',
        'computed column',
      ],
      [
        chain(at('f', 'filter', { conditions: [{ column: 'symbol', op: 'LIKE', value: 'A%' }] })),
        'f',
        'like',
      ],
    ] as const) {
      const result = compile(graph, target, { catalog });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.errors).toEqual([
        expect.objectContaining({
          nodeId: target,
          code: 'INVALID_CONFIG',
          message: expect.stringContaining(what),
        }),
      ]);
      expect(result.errors[0]!.message).toContain('the redis store answers point lookups');
    }
  });

  it('does not mix a redis table with a SQL store in one query', () => {
    const graph = {
      nodes: [
        source,
        at('t', 'data_source', { database: 'flowforge', table: 'raw_trades' }),
        at('j', 'join', { join_type: 'INNER', keys: [{ left: 'symbol', right: 'symbol' }] }),
      ],
      edges: [
        { id: 'a', source: 'src', target: 'j', targetHandle: 'left' },
        { id: 'b', source: 't', target: 'j', targetHandle: 'right' },
      ],
    };
    const result = compile(graph, 'j', { catalog });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.code)).toContain('MIXED_STORES');
  });
});
