import type { Acl } from '../nodes/index.ts';
import { TEST_DATABASE } from './dataset.ts';

/**
 * Graphs executed on every engine. Each is a pipeline of nodes (ids n0, n1, …; each reads the previous one) unless it
 * spells out `edges`; the target is the last node unless `target` says otherwise.
 */
export interface EngineCase {
  name: string;
  nodes: { id?: string; type: string; data: Record<string, unknown> }[];
  edges?: [source: string, target: string, handle?: string][];
  target?: string;
  /** Results are compared row by row in order (the graph sorts by a unique key); otherwise as multisets. */
  ordered?: boolean;
  /** Samples differ per engine: compare only the row count (exact) or its bounds. */
  rowCount?: { min: number; max: number };
  /** Expected row count when it is known up front (guards against vacuous passes, e.g. a filter matching nothing). */
  minRows?: number;
  acl?: Acl;
  limit?: number;
}

type Node = EngineCase['nodes'][number];

export const source = (table: string): Node => ({
  type: 'data_source',
  data: { database: TEST_DATABASE, table },
});
export const filter = (
  conditions: { column: string; op: string; value?: unknown }[],
  logic: 'AND' | 'OR' = 'AND',
): Node => ({ type: 'filter', data: { logic, conditions } });
export const select = (...columns: string[]): Node => ({ type: 'select', data: { columns } });
export const sort = (...sorts: [string, 'ASC' | 'DESC'][]): Node => ({
  type: 'sort',
  data: { sorts: sorts.map(([column, direction]) => ({ column, direction })) },
});
export const formula = (formulas: Record<string, string>): Node => ({
  type: 'formula',
  data: { formulas: Object.entries(formulas).map(([name, expression]) => ({ name, expression })) },
});
export const groupBy = (
  keys: string[],
  aggregations: { function: string; column: string; alias?: string }[],
): Node => ({ type: 'group_by', data: { group_by: keys, aggregations } });
export const tableView = (page = 0, pageSize = 50): Node => ({
  type: 'table_view',
  data: { page, page_size: pageSize },
});

type KeyPair = { left: string; right: string };
const onSymbol: KeyPair[] = [{ left: 'symbol', right: 'symbol' }];
const join = (joinType: string, keys: KeyPair[] = onSymbol): Node => ({
  id: 'j',
  type: 'join',
  data: { join_type: joinType, keys },
});
const joined = (
  name: string,
  joinType: string | { type: string; keys: KeyPair[] },
  left: Node[],
  right: Node[],
  after: Node[],
  extra: Partial<EngineCase> = {},
): EngineCase => {
  const l = left.map((n, i) => ({ ...n, id: `l${i}` }));
  const r = right.map((n, i) => ({ ...n, id: `r${i}` }));
  const a = after.map((n, i) => ({ ...n, id: `a${i}` }));
  const chain = (ids: string[]): [string, string][] => ids.slice(1).map((id, i) => [ids[i]!, id]);
  return {
    name,
    nodes: [
      ...l,
      ...r,
      typeof joinType === 'string' ? join(joinType) : join(joinType.type, joinType.keys),
      ...a,
    ],
    edges: [
      ...chain(l.map((n) => n.id)),
      ...chain(r.map((n) => n.id)),
      [l.at(-1)!.id, 'j', 'left'],
      [r.at(-1)!.id, 'j', 'right'],
      ...chain(['j', ...a.map((n) => n.id)]),
    ],
    ...extra,
  };
};

/** Hourly low, high and mean price of the trades (candles), plus any further aggregations. */
const hourlyCandles = (extra: { function: string; column: string; alias: string }[] = []) => [
  formula({ hour: "DATE_TRUNC('hour', [event_time])" }),
  groupBy(
    ['hour'],
    [
      { function: 'min', column: 'price', alias: 'lo' },
      { function: 'max', column: 'price', alias: 'hi' },
      { function: 'avg', column: 'price', alias: 'mean' },
      ...extra,
    ],
  ),
];

export const ENGINE_CASES: EngineCase[] = [
  {
    name: 'flat: source → filter → select → sort → table_view',
    nodes: [
      source('trades'),
      filter([
        { column: 'price', op: '>', value: 100 },
        { column: 'side', op: '=', value: 'BUY' },
      ]),
      select('trade_id', 'symbol', 'price', 'quantity'),
      sort(['trade_id', 'DESC']),
      tableView(0, 40),
    ],
    ordered: true,
    minRows: 40,
  },
  {
    name: 'filter comparisons on every type',
    nodes: [
      source('trades'),
      filter([
        { column: 'quantity', op: '>=', value: 10.5 },
        { column: 'price', op: '<', value: '400' },
        { column: 'symbol', op: '!=', value: 'AAPL' },
        { column: 'event_time', op: '>', value: '2026-01-05T16:00:00Z' },
        { column: 'fee', op: '<=', value: 80 },
      ]),
    ],
    minRows: 100,
  },
  {
    name: 'LIKE and NOT_LIKE',
    nodes: [
      source('instruments'),
      filter([
        { column: 'name', op: 'LIKE', value: '%o%' },
        { column: 'symbol', op: 'NOT_LIKE', value: 'J_M' },
      ]),
    ],
    minRows: 2,
  },
  {
    name: 'LIKE with an escaped backslash and quote',
    nodes: [
      source('trades'),
      filter([{ column: 'note', op: 'LIKE', value: "%client's%" }], 'OR'),
      select('trade_id', 'note'),
    ],
    minRows: 10,
  },
  {
    name: 'LIKE with an escaped backslash and wildcard (same escape rules everywhere)',
    nodes: [
      source('trades'),
      filter([
        { column: 'note', op: 'LIKE', value: 'path C:\\\\%' },
        { column: 'symbol', op: 'NOT_LIKE', value: 'BK\\\\_' },
      ]),
      select('trade_id', 'note', 'symbol'),
    ],
    minRows: 20,
  },
  {
    name: 'IN / NOT_IN with hostile strings',
    nodes: [
      source('trades'),
      filter([
        { column: 'symbol', op: 'IN', value: ['ORLY', 'BK\\N', 'AAPL', "x' OR 1=1 --"] },
        { column: 'venue', op: 'NOT_IN', value: ['BATS'] },
      ]),
    ],
    minRows: 100,
  },
  {
    name: 'IS_NULL / IS_NOT_NULL',
    nodes: [
      source('trades'),
      filter([
        { column: 'fee', op: 'IS_NULL' },
        { column: 'venue', op: 'IS_NOT_NULL' },
      ]),
      select('trade_id', 'fee', 'venue'),
    ],
    minRows: 50,
  },
  {
    name: 'BETWEEN datetimes given as ISO strings',
    nodes: [
      source('quotes'),
      filter([
        { column: 'event_time', op: 'BETWEEN', value: ['2026-01-05T15:00:00', '2026-01-06T02:00:00.500Z'] },
      ]),
    ],
    minRows: 100,
  },
  {
    name: 'OR logic with a note containing a newline',
    nodes: [
      source('trades'),
      filter(
        [
          { column: 'note', op: '=', value: 'line1\nline2' },
          { column: 'note', op: '=', value: 'path C:\\temp' },
        ],
        'OR',
      ),
    ],
    minRows: 50,
  },
  {
    name: 'select reorders columns',
    nodes: [source('instruments'), select('listed', 'symbol', 'tick_size', 'active')],
    minRows: 10,
  },
  {
    name: 'sort by nullable DESC then key',
    nodes: [source('trades'), sort(['fee', 'DESC'], ['trade_id', 'ASC']), tableView(0, 200)],
    ordered: true,
    minRows: 200,
  },
  {
    name: 'group_by output is ordered by its keys ascending, NULLs last (no sort node)',
    nodes: [source('trades'), groupBy(['venue', 'side'], [{ function: 'count', column: '*' }])],
    ordered: true,
    minRows: 4,
  },
  {
    name: 'group_by with every aggregation',
    nodes: [
      source('trades'),
      groupBy(
        ['symbol'],
        [
          { function: 'count', column: '*' },
          { function: 'count', column: 'fee' },
          { function: 'count_distinct', column: 'venue' },
          { function: 'sum', column: 'quantity' },
          { function: 'sum', column: 'fee' },
          { function: 'avg', column: 'price' },
          { function: 'min', column: 'event_time' },
          { function: 'max', column: 'note' },
          { function: 'max', column: 'price', alias: 'high' },
        ],
      ),
    ],
    minRows: 10,
  },
  {
    name: 'group_by without keys',
    nodes: [
      source('quotes'),
      groupBy(
        [],
        [
          { function: 'count', column: '*' },
          { function: 'sum', column: 'bid_size' },
          { function: 'avg', column: 'ask' },
        ],
      ),
    ],
    minRows: 1,
  },
  {
    name: 'group_by without keys over no rows: one row, counts 0, other aggregates NULL',
    nodes: [
      source('trades'),
      filter([{ column: 'symbol', op: '=', value: 'NOPE' }]),
      groupBy(
        [],
        [
          { function: 'count', column: '*' },
          { function: 'sum', column: 'quantity' },
          { function: 'max', column: 'note' },
          { function: 'avg', column: 'fee' },
        ],
      ),
    ],
    minRows: 1,
  },
  {
    name: 'group_by → filter on aggregate (HAVING)',
    nodes: [
      source('trades'),
      groupBy(['symbol', 'side'], [{ function: 'sum', column: 'quantity', alias: 'volume' }]),
      filter([{ column: 'volume', op: '>', value: 80000 }]),
    ],
    minRows: 3,
  },
  joined(
    'join → group_by → filter on aggregate',
    'INNER',
    [source('trades')],
    [source('instruments')],
    [
      groupBy(
        ['sector'],
        [
          { function: 'sum', column: 'quantity' },
          { function: 'count', column: '*' },
        ],
      ),
      filter([{ column: 'count', op: '>', value: 200 }]),
    ],
    { minRows: 2 },
  ),
  joined(
    'LEFT join keeps unmatched trades',
    'LEFT',
    [source('trades')],
    [source('instruments')],
    [select('trade_id', 'symbol', 'name', 'sector', 'lot_size')],
    { minRows: 3000 },
  ),
  joined(
    'RIGHT join keeps instruments without trades',
    'RIGHT',
    [source('trades'), filter([{ column: 'side', op: '=', value: 'SELL' }])],
    [source('instruments')],
    [groupBy(['symbol_right'], [{ function: 'count', column: 'trade_id' }])],
    { minRows: 10 },
  ),
  joined(
    'FULL join of filtered sides',
    'FULL',
    [source('trades'), filter([{ column: 'price', op: '>', value: 200 }])],
    [source('instruments'), filter([{ column: 'active', op: '=', value: true }])],
    [select('trade_id', 'symbol', 'symbol_right', 'active')],
    { minRows: 100 },
  ),
  joined(
    'LEFT join with a filtered right side (ON)',
    'LEFT',
    [source('trades'), filter([{ column: 'quantity', op: '<', value: 300 }])],
    [source('instruments'), filter([{ column: 'sector', op: '=', value: 'Technology' }])],
    [select('trade_id', 'symbol', 'name')],
    { minRows: 100 },
  ),
  joined(
    'LEFT join on two key pairs: each trade with the buy count of its symbol and side (sells match nothing)',
    {
      type: 'LEFT',
      keys: [
        { left: 'symbol', right: 'symbol' },
        { left: 'side', right: 'side' },
      ],
    },
    [source('trades')],
    [
      source('trades'),
      filter([{ column: 'side', op: '=', value: 'BUY' }]),
      groupBy(
        ['symbol', 'side'],
        [
          { function: 'count', column: '*', alias: 'buys' },
          { function: 'sum', column: 'quantity', alias: 'bought' },
        ],
      ),
    ],
    [select('trade_id', 'symbol', 'side', 'side_right', 'buys', 'bought')],
    { minRows: 3000 },
  ),
  joined(
    'join trades with quotes, clashing names get _right',
    'INNER',
    [source('trades'), filter([{ column: 'symbol', op: '=', value: 'MSFT' }])],
    [source('quotes'), filter([{ column: 'bid_size', op: '>', value: 4500 }])],
    [select('trade_id', 'event_time', 'event_time_right', 'symbol_right', 'bid')],
    { minRows: 10 },
  ),
  {
    name: 'union ALL → unique',
    nodes: [
      { id: 'a', ...source('trades') },
      { id: 'af', ...filter([{ column: 'symbol', op: '=', value: 'AAPL' }]) },
      { id: 'as', ...select('symbol', 'side') },
      { id: 'b', ...source('trades') },
      { id: 'bf', ...filter([{ column: 'quantity', op: '>', value: 1200 }]) },
      { id: 'bs', ...select('side', 'symbol') },
      { id: 'u', type: 'union', data: { mode: 'ALL' } },
      { id: 'q', type: 'unique', data: {} },
    ],
    edges: [
      ['a', 'af'],
      ['af', 'as'],
      ['b', 'bf'],
      ['bf', 'bs'],
      ['as', 'u'],
      ['bs', 'u'],
      ['u', 'q'],
    ],
    minRows: 10,
  },
  {
    name: 'union DISTINCT of three inputs',
    nodes: [
      { id: 'a', ...source('trades') },
      { id: 'as', ...select('symbol') },
      { id: 'b', ...source('quotes') },
      { id: 'bs', ...select('symbol') },
      { id: 'c', ...source('instruments') },
      { id: 'cs', ...select('symbol') },
      { id: 'u', type: 'union', data: { mode: 'DISTINCT' } },
    ],
    edges: [
      ['a', 'as'],
      ['b', 'bs'],
      ['c', 'cs'],
      ['as', 'u'],
      ['bs', 'u'],
      ['cs', 'u'],
    ],
    minRows: 11,
  },
  {
    name: 'formula functions',
    nodes: [
      source('trades'),
      formula({
        notional: '[price] * [quantity]',
        signed_qty: "IF([side] = 'BUY', [quantity], -[quantity])",
        rounded: 'ROUND([price], 2)',
        distance: 'ABS([price] - 250)',
        fee_or_zero: 'COALESCE([fee], 0)',
        venue_label: "CONCAT(LOWER([symbol]), '@', COALESCE([venue], 'OTC'))",
        shout: 'UPPER([side])',
        note_length: 'LENGTH([note])',
        y: 'YEAR([event_time])',
        m: 'MONTH([event_time])',
        d: 'DAY([event_time])',
        h: 'HOUR([event_time])',
        hour: "DATE_TRUNC('hour', [event_time])",
        big: "[quantity] > 1000 AND NOT [side] = 'SELL' OR COALESCE([fee], 0) = 0",
        ratio: '[fee] / ([quantity] - [quantity])',
        mod: 'LENGTH([trade_id]) % 4 + 2 * 3 - -1',
      }),
    ],
    minRows: 3000,
  },
  {
    name: 'formula → filter on the formula (inlined)',
    nodes: [
      source('trades'),
      formula({ notional: '[price] * [quantity]' }),
      filter([{ column: 'notional', op: '>', value: 250000 }]),
      select('trade_id', 'notional'),
    ],
    minRows: 50,
  },
  {
    name: 'formula → group_by on DATE_TRUNC → sort',
    nodes: [
      source('trades'),
      formula({ hour: "DATE_TRUNC('hour', [event_time])", day: "DATE_TRUNC('day', [event_time])" }),
      groupBy(
        ['day', 'hour'],
        [
          { function: 'count', column: '*' },
          { function: 'max', column: 'price' },
        ],
      ),
      sort(['hour', 'ASC']),
    ],
    ordered: true,
    minRows: 40,
  },
  {
    name: 'rename → filter on the new name → select',
    nodes: [
      source('quotes'),
      { type: 'rename', data: { renames: { bid: 'best_bid', symbol: 'ticker' } } },
      filter([{ column: 'ticker', op: '=', value: 'TSLA' }]),
      select('ticker', 'best_bid', 'ask'),
    ],
    minRows: 50,
  },
  {
    name: 'rename swaps two columns',
    nodes: [
      source('quotes'),
      { type: 'rename', data: { renames: { bid: 'ask', ask: 'bid' } } },
      filter([{ column: 'bid', op: '>', value: 300 }]),
      sort(['bid', 'DESC'], ['event_time', 'ASC']),
      tableView(0, 30),
    ],
    ordered: true,
    minRows: 30,
  },
  {
    name: 'unique over all columns',
    nodes: [source('trades'), select('symbol', 'side', 'venue'), { type: 'unique', data: {} }],
    minRows: 30,
  },
  {
    name: 'sort → unique by key keeps the first row per key',
    nodes: [
      source('trades'),
      sort(['quantity', 'DESC']),
      { type: 'unique', data: { columns: ['symbol'] } },
      select('symbol', 'trade_id', 'quantity'),
    ],
    minRows: 10,
  },
  {
    name: 'a 90-node formula → filter chain runs as several levels passing columns through (alias.*)',
    nodes: [
      source('trades'),
      ...Array.from({ length: 45 }, (_, i) => [
        formula({ [`c${i}`]: i === 0 ? '[quantity] * 2' : `[c${i - 1}] + ${i}` }),
        filter([{ column: `c${i}`, op: '>', value: i }]),
      ]).flat(),
      select('trade_id', 'quantity', 'c0', 'c17', 'c44'),
    ],
    minRows: 50,
  },
  {
    name: 'unique by key → filter (wraps)',
    nodes: [
      source('quotes'),
      { type: 'unique', data: { columns: ['symbol', 'bid_size'] } },
      filter([{ column: 'ask_size', op: '>', value: 2500 }]),
    ],
    minRows: 50,
  },
  {
    name: 'sort → sample n',
    nodes: [source('trades'), sort(['price', 'DESC']), { type: 'sample', data: { n: 25, seed: 7 } }],
    rowCount: { min: 25, max: 25 },
  },
  {
    name: 'sample percent',
    nodes: [source('trades'), { type: 'sample', data: { percent: 10, seed: 3 } }],
    rowCount: { min: 180, max: 420 },
  },
  {
    name: 'table_view second page',
    nodes: [source('trades'), sort(['event_time', 'ASC'], ['trade_id', 'ASC']), tableView(2, 25)],
    ordered: true,
    minRows: 25,
  },
  {
    name: 'bar_chart with series',
    nodes: [
      source('trades'),
      groupBy(['symbol', 'side'], [{ function: 'sum', column: 'quantity' }]),
      { type: 'bar_chart', data: { x: 'symbol', y: ['sum_quantity'], series: 'side' } },
    ],
    ordered: true,
    minRows: 20,
  },
  {
    name: 'bar_chart largest first',
    nodes: [
      source('trades'),
      groupBy(['symbol'], [{ function: 'sum', column: 'quantity' }]),
      { type: 'bar_chart', data: { x: 'symbol', y: ['sum_quantity'], order: 'value_desc' } },
    ],
    ordered: true,
    minRows: 5,
  },
  {
    name: 'line_chart of hourly averages',
    nodes: [
      source('quotes'),
      formula({ hour: "DATE_TRUNC('hour', [event_time])", mid: '([bid] + [ask]) / 2' }),
      groupBy(
        ['hour'],
        [
          { function: 'avg', column: 'mid' },
          { function: 'max', column: 'ask' },
        ],
      ),
      { type: 'line_chart', data: { x: 'hour', y: ['avg_mid', 'max_ask'] } },
    ],
    ordered: true,
    minRows: 30,
  },
  {
    name: 'candlestick from hourly OHLC',
    nodes: [
      source('trades'),
      filter([{ column: 'symbol', op: '=', value: 'AAPL' }]),
      ...hourlyCandles(),
      { type: 'candlestick', data: { time: 'hour', open: 'mean', high: 'hi', low: 'lo', close: 'mean' } },
    ],
    ordered: true,
    minRows: 5,
  },
  {
    name: 'candlestick with volume bars',
    nodes: [
      source('trades'),
      ...hourlyCandles([{ function: 'sum', column: 'quantity', alias: 'shares' }]),
      {
        type: 'candlestick',
        data: { time: 'hour', open: 'mean', high: 'hi', low: 'lo', close: 'mean', volume: 'shares' },
      },
    ],
    ordered: true,
    minRows: 5,
  },
  {
    name: 'scatter',
    nodes: [
      source('trades'),
      { type: 'scatter', data: { x: 'price', y: 'quantity', size: 'fee', color: 'side' } },
    ],
    minRows: 3000,
  },
  {
    name: 'kpi of total notional',
    nodes: [
      source('trades'),
      formula({ notional: '[price] * [quantity]' }),
      groupBy([], [{ function: 'sum', column: 'notional', alias: 'total' }]),
      { type: 'kpi', data: { value: 'total', format: 'currency' } },
    ],
    minRows: 1,
  },
  {
    name: 'kpi with an hourly trend keeps the latest hours, newest first',
    nodes: [
      source('trades'),
      formula({ hour: "DATE_TRUNC('hour', [event_time])", notional: '[price] * [quantity]' }),
      groupBy(['hour'], [{ function: 'sum', column: 'notional', alias: 'total' }]),
      { type: 'kpi', data: { value: 'total', trend: 'hour', points: 4 } },
    ],
    ordered: true,
    minRows: 4,
  },
  {
    name: 'pivot symbol × side',
    nodes: [
      source('trades'),
      {
        type: 'pivot',
        data: {
          rows: ['symbol'],
          columns: ['side'],
          values: [
            { column: 'quantity', function: 'sum' },
            { column: 'trade_id', function: 'count' },
          ],
        },
      },
    ],
    ordered: true,
    minRows: 20,
  },
  {
    name: 'group_by → group_by (nested aggregation)',
    nodes: [
      source('trades'),
      groupBy(['symbol', 'venue'], [{ function: 'count', column: '*', alias: 'n' }]),
      groupBy(
        ['symbol'],
        [
          { function: 'max', column: 'n' },
          { function: 'count', column: 'venue' },
        ],
      ),
    ],
    minRows: 10,
  },
  joined(
    'join → formula over both sides → sort → table_view',
    'INNER',
    [source('trades')],
    [source('instruments')],
    [
      formula({ lots: '[quantity] / [lot_size]', tick_value: '[tick_size] * [lot_size]' }),
      sort(['lots', 'DESC'], ['trade_id', 'ASC']),
      tableView(0, 20),
    ],
    { ordered: true, minRows: 20 },
  ),
  {
    name: 'self-join: one source feeding both sides of a join',
    nodes: [
      { id: 'q', ...source('quotes') },
      { id: 'big_bid', ...filter([{ column: 'bid_size', op: '>', value: 4700 }]) },
      { id: 'big_ask', ...filter([{ column: 'ask_size', op: '>', value: 4700 }]) },
      { id: 'j', type: 'join', data: { join_type: 'INNER', keys: onSymbol } },
      {
        id: 'g',
        ...groupBy(
          ['symbol'],
          [
            { function: 'count', column: '*' },
            { function: 'max', column: 'bid_size_right' },
          ],
        ),
      },
    ],
    edges: [
      ['q', 'big_bid'],
      ['q', 'big_ask'],
      ['big_bid', 'j', 'left'],
      ['big_ask', 'j', 'right'],
      ['j', 'g'],
    ],
    minRows: 5,
  },
  {
    name: 'the same node on both join handles',
    nodes: [
      { id: 'i', ...source('instruments') },
      { id: 'j', type: 'join', data: { join_type: 'LEFT', keys: onSymbol } },
      { id: 's', ...select('symbol', 'symbol_right', 'name_right') },
    ],
    edges: [
      ['i', 'j', 'left'],
      ['i', 'j', 'right'],
      ['j', 's'],
    ],
    minRows: 10,
  },
  {
    name: 'quote spread in basis points by symbol',
    nodes: [
      source('quotes'),
      formula({ spread_bps: '([ask] - [bid]) / [bid] * 10000' }),
      groupBy(
        ['symbol'],
        [
          { function: 'avg', column: 'spread_bps' },
          { function: 'max', column: 'spread_bps' },
        ],
      ),
      sort(['symbol', 'ASC']),
    ],
    ordered: true,
    minRows: 10,
  },
  joined(
    'ACL applies to both sides of a join',
    'LEFT',
    [source('trades')],
    [source('instruments')],
    [groupBy(['symbol', 'name'], [{ function: 'count', column: '*' }])],
    { acl: { allowedSymbols: ['AAPL', 'ORLY', 'BK\\N'] }, minRows: 3 },
  ),
  {
    name: 'empty ACL returns no rows',
    nodes: [source('trades'), select('trade_id')],
    acl: { allowedSymbols: [] },
  },
  {
    name: 'compile limit caps the final LIMIT',
    nodes: [source('trades'), sort(['trade_id', 'ASC']), tableView(0, 100)],
    limit: 15,
    ordered: true,
    minRows: 15,
  },
  {
    name: 'kpi after sort takes the top row',
    nodes: [
      source('trades'),
      sort(['price', 'DESC'], ['trade_id', 'ASC']),
      { type: 'kpi', data: { value: 'price', label: 'trade_id' } },
    ],
    ordered: true,
    minRows: 1,
  },
  // ---- Regression cases for issue 8's bug classes (each failed on main before the fix) ----
  joined(
    'LEFT join: formulas on the nullable side are NULL for unmatched rows',
    'LEFT',
    [source('trades'), select('trade_id', 'symbol')],
    [
      source('instruments'),
      formula({ one: '1', label: "'n/a'", loud: "CONCAT([name], '!')", lots: 'COALESCE([lot_size], 0) * 2' }),
    ],
    [select('trade_id', 'symbol', 'one', 'label', 'loud', 'lots')],
    { minRows: 3000 },
  ),
  joined(
    'RIGHT join: formulas on the nullable left side are NULL for instruments without trades',
    'RIGHT',
    [source('trades'), formula({ flag: "'traded'", q2: '[quantity] * 2' })],
    [source('instruments')],
    [groupBy(['symbol_right', 'flag'], [{ function: 'count', column: 'q2' }])],
    { minRows: 10 },
  ),
  joined(
    'FULL join: formulas on both sides are NULL on the unmatched side',
    'FULL',
    [source('trades'), formula({ l: "'left'" })],
    [source('instruments'), formula({ r: "CONCAT('right:', [symbol])" })],
    [
      filter(
        [
          { column: 'l', op: 'IS_NULL' },
          { column: 'r', op: 'IS_NULL' },
        ],
        'OR',
      ),
      select('trade_id', 'symbol_right', 'l', 'r'),
    ],
    { minRows: 100 },
  ),
  {
    name: 'unique (whole rows) → unique by key keeps one row per key',
    nodes: [
      source('trades'),
      select('symbol', 'side', 'venue'),
      { type: 'unique', data: {} },
      { type: 'unique', data: { columns: ['symbol'] } },
    ],
    minRows: 10,
  },
  {
    name: 'unique by key → unique (whole rows) → sort',
    nodes: [
      source('trades'),
      { type: 'unique', data: { columns: ['symbol', 'side'] } },
      select('symbol', 'side'),
      { type: 'unique', data: {} },
      sort(['symbol', 'ASC'], ['side', 'DESC']),
    ],
    ordered: true,
    minRows: 20,
  },
  {
    name: 'sort → unique by key → filter → table_view page keeps the sort',
    nodes: [
      source('trades'),
      sort(['price', 'DESC'], ['trade_id', 'ASC']),
      { type: 'unique', data: { columns: ['symbol', 'side', 'venue'] } },
      filter([{ column: 'quantity', op: '>', value: 10 }]),
      tableView(1, 7),
    ],
    ordered: true,
    minRows: 7,
  },
  {
    name: 'sort → unique by key → select dropping the sort column → table_view',
    nodes: [
      source('trades'),
      sort(['event_time', 'DESC'], ['trade_id', 'ASC']),
      { type: 'unique', data: { columns: ['symbol', 'venue'] } },
      select('symbol', 'venue', 'trade_id'),
      tableView(0, 5),
    ],
    ordered: true,
    minRows: 5,
  },
  {
    name: 'sort → sample (all rows) → filter → table_view page keeps the sort',
    nodes: [
      source('quotes'),
      filter([{ column: 'symbol', op: '=', value: 'TSLA' }]),
      sort(['bid', 'ASC'], ['event_time', 'ASC']),
      { type: 'sample', data: { n: 100000, seed: 5 } },
      filter([{ column: 'ask_size', op: '>', value: 1000 }]),
      tableView(2, 10),
    ],
    ordered: true,
    minRows: 10,
  },
  {
    // ClickHouse 26.9 never planned these (TOO_MANY_QUERY_PLAN_OPTIMIZATIONS): a string length selected while the
    // ORDER BY is an expression over the same column.
    name: 'sort by a formula → LENGTH of the sorted column',
    nodes: [
      source('instruments'),
      formula({ u: 'UPPER([name])' }),
      sort(['u', 'ASC']),
      formula({ len: 'LENGTH([name])' }),
      select('symbol', 'len'),
    ],
    ordered: true,
    minRows: 10,
  },
  {
    // ClickHouse counts, lengthUTF8 and abs of an Int64 are UInt64, which has no common type with Int64: LEAST,
    // COALESCE and IF over them failed ("There is no supertype") until they were converted to Int64.
    name: 'counts, LENGTH and ABS meet int64 in LEAST / COALESCE / IF',
    nodes: [
      source('instruments'),
      formula({ m: 'LEAST(LENGTH([name]), ABS(0 - [lot_size]))', neg: '0 - [lot_size]' }),
      groupBy(
        ['sector'],
        [
          { function: 'count', column: '*' },
          { function: 'count_distinct', column: 'm' },
          { function: 'sum', column: 'neg' },
        ],
      ),
      formula({
        low: 'LEAST([count], [sum_neg])',
        either: 'COALESCE([sum_neg], [count_distinct_m])',
        pick: 'IF([count] > 1, [count], [sum_neg])',
      }),
    ],
    minRows: 4,
  },
  {
    name: 'seeded sample of n = 0 → LENGTH: no rows on every engine',
    nodes: [
      source('instruments'),
      { type: 'sample', data: { n: 0, seed: 0 } },
      formula({ name: 'LENGTH([name])' }),
    ],
    rowCount: { min: 0, max: 0 },
  },
  {
    name: 'union widens int64 + decimal to float64 and date + datetime to datetime (explicit casts)',
    nodes: [
      { id: 'a', ...source('instruments') },
      { id: 'ar', type: 'rename', data: { renames: { lot_size: 'x', listed: 't' } } },
      { id: 'as', ...select('symbol', 'x', 't') },
      { id: 'b', ...source('trades') },
      { id: 'br', type: 'rename', data: { renames: { price: 'x', event_time: 't' } } },
      { id: 'bf', ...filter([{ column: 'x', op: '>', value: 300 }]) },
      { id: 'bs', ...select('symbol', 'x', 't') },
      { id: 'u', type: 'union', data: { mode: 'ALL' } },
    ],
    edges: [
      ['a', 'ar'],
      ['ar', 'as'],
      ['b', 'br'],
      ['br', 'bf'],
      ['bf', 'bs'],
      ['as', 'u'],
      ['bs', 'u'],
    ],
    minRows: 20,
  },
  {
    name: 'ROUND keeps float64 (floats half away from zero, decimals, ints, aggregates)',
    nodes: [
      source('trades'),
      groupBy(
        ['symbol'],
        [
          { function: 'avg', column: 'price' },
          { function: 'sum', column: 'fee' },
        ],
      ),
      formula({
        r_avg: 'ROUND([avg_price], 2)',
        r_sum: 'ROUND([sum_fee], 1)',
        r_half: 'ROUND(2.5) + ROUND(-2.5) + ROUND(0.125, 2)',
      }),
    ],
    minRows: 10,
  },
  {
    name: 'ROUND of float and decimal columns row by row',
    nodes: [
      source('trades'),
      formula({ fee1: 'ROUND([fee], 1)', price2: 'ROUND([price], 2)', q0: 'ROUND([quantity])' }),
      select('trade_id', 'fee1', 'price2', 'q0'),
    ],
    minRows: 3000,
  },
  {
    name: '% and / by zero are NULL on every engine',
    nodes: [
      source('instruments'),
      formula({ m: '[lot_size] % ([lot_size] - 100)', d: '[lot_size] / ([lot_size] - 100)', n: '-7 % 3' }),
      select('symbol', 'm', 'd', 'n'),
    ],
    minRows: 10,
  },
  {
    name: 'date parts of a date column (HOUR of a date is 0)',
    nodes: [
      source('instruments'),
      formula({
        h: 'HOUR([listed])',
        y: 'YEAR([listed])',
        d: 'DAY([listed])',
        w: "DATE_TRUNC('week', [listed])",
        q: "DATE_TRUNC('quarter', [listed])",
      }),
      select('symbol', 'h', 'y', 'd', 'w', 'q'),
    ],
    minRows: 10,
  },
  {
    name: 'IS NULL / IS NOT NULL / ISNULL in formulas',
    nodes: [
      source('trades'),
      formula({
        has_fee: "IF([fee] IS NULL, 'none', 'some')",
        venue_missing: 'ISNULL([venue])',
        noted: '[note] IS NOT NULL AND LENGTH([note]) > 3',
      }),
      select('trade_id', 'has_fee', 'venue_missing', 'noted'),
    ],
    minRows: 3000,
  },
  {
    name: 'date-only bounds on a datetime cover the whole last day ([from, to + 1 day))',
    nodes: [
      source('trades'),
      filter(
        [
          { column: 'event_time', op: '<=', value: '2026-01-05' },
          { column: 'event_time', op: 'BETWEEN', value: ['2026-01-05', '2026-01-05'] },
        ],
        'OR',
      ),
      groupBy([], [{ function: 'count', column: '*' }]),
      filter([{ column: 'count', op: '>', value: 100 }]),
    ],
    minRows: 1,
  },
  {
    name: 'date-only lower bound with > starts the next day',
    nodes: [
      source('trades'),
      filter([{ column: 'event_time', op: '>', value: '2026-01-06' }]),
      groupBy([], [{ function: 'min', column: 'event_time' }]),
    ],
    minRows: 1,
  },
  {
    name: 'datetime filter bounds and date parts are UTC',
    nodes: [
      source('trades'),
      filter([{ column: 'event_time', op: '<=', value: '2026-01-05T21:00:00-05:00' }]),
      formula({ h: 'HOUR([event_time])', day: "DATE_TRUNC('day', [event_time])" }),
      groupBy(['day', 'h'], [{ function: 'count', column: '*' }]),
      sort(['day', 'ASC'], ['h', 'ASC']),
    ],
    ordered: true,
    minRows: 5,
  },
];

/** Expands a case into the graph JSON the engine takes. */
export function caseGraph(c: EngineCase): { graph: { nodes: unknown[]; edges: unknown[] }; target: string } {
  const nodes = c.nodes.map((n, i) => ({
    id: n.id ?? `n${i}`,
    type: n.type,
    position: { x: i * 200, y: 0 },
    data: n.data,
  }));
  const edges = c.edges
    ? c.edges.map(([source, target, handle], i) => ({
        id: `e${i}`,
        source,
        target,
        ...(handle ? { targetHandle: handle } : {}),
      }))
    : nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id }));
  return { graph: { nodes, edges }, target: c.target ?? nodes.at(-1)!.id };
}
