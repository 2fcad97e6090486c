import { describe, expect, it } from 'vitest';
import { compile, DIALECTS } from './index.ts';

const catalog = [
  {
    database: 'market',
    table: 'trades',
    store: 'clickhouse',
    columns: [
      { name: 'trade_id', type: 'string' },
      { name: 'event_time', type: 'datetime' },
      { name: 'symbol', type: 'string' },
      { name: 'side', type: 'string' },
      { name: 'quantity', type: 'decimal(18,4)' },
      { name: 'price', type: 'decimal(18,6)' },
      { name: 'fee', type: 'float64', nullable: true },
    ],
  },
  {
    database: 'market',
    table: 'instruments',
    store: 'clickhouse',
    columns: [
      { name: 'symbol', type: 'string' },
      { name: 'sector', type: 'string', nullable: true },
    ],
  },
];

type Step = { type: string; data?: unknown };
const source: Step = { type: 'data_source', data: { database: 'market', table: 'trades' } };
const where = (column: string, op: string, value?: unknown): Step => ({
  type: 'filter',
  data: { logic: 'AND', conditions: [{ column, op, value }] },
});
const derive = (name: string, expression: string): Step => ({
  type: 'formula',
  data: { formulas: [{ name, expression }] },
});
const sortBy = (column: string, direction = 'ASC'): Step => ({
  type: 'sort',
  data: { sorts: [{ column, direction }] },
});
const pick = (...columns: string[]): Step => ({ type: 'select', data: { columns } });
const aggregate = (
  keys: string[],
  ...aggregations: { function: string; column: string; alias?: string }[]
): Step => ({ type: 'group_by', data: { group_by: keys, aggregations } });

/** A linear pipeline n0 → n1 → … compiled at its last node. */
function compilePipeline(
  steps: Step[],
  dialect: (typeof DIALECTS)[number] = 'clickhouse',
  acl?: { allowedSymbols: string[] },
) {
  const nodes = steps.map((s, i) => ({ id: `n${i}`, position: { x: 0, y: 0 }, data: {}, ...s }));
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id }));
  const result = compile({ nodes, edges }, nodes.at(-1)!.id, { catalog, dialect, ...(acl ? { acl } : {}) });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

const selects = (sql: string): number => sql.match(/\bSELECT\b/g)?.length ?? 0;

const FLAT: [string, Step[]][] = [
  [
    'data_source → filter → select → sort → table_view',
    [
      source,
      where('price', '>', 100),
      pick('trade_id', 'symbol', 'price'),
      sortBy('price', 'DESC'),
      { type: 'table_view', data: { page: 2, page_size: 25 } },
    ],
  ],
  [
    'formula → filter on the formula → select (inlined into WHERE)',
    [
      source,
      derive('notional', '[price] * [quantity]'),
      where('notional', '>', 1e6),
      pick('trade_id', 'notional'),
    ],
  ],
  [
    'group_by → filter on the aggregate → sort (HAVING)',
    [
      source,
      aggregate(['symbol'], { function: 'sum', column: 'quantity', alias: 'volume' }),
      where('volume', '>', 1000),
      sortBy('volume', 'DESC'),
    ],
  ],
  [
    'filter → formula → group_by on the formula → bar_chart',
    [
      source,
      where('side', '=', 'BUY'),
      derive('hour', "DATE_TRUNC('hour', [event_time])"),
      aggregate(['hour'], { function: 'count', column: '*' }),
      { type: 'bar_chart', data: { x: 'hour', y: ['count'] } },
    ],
  ],
  [
    'rename swapping two columns → filter → sort',
    [
      source,
      { type: 'rename', data: { renames: { price: 'quantity', quantity: 'price' } } },
      where('price', '<', 10),
      sortBy('quantity'),
    ],
  ],
  [
    'sort → sort → unique (whole rows) → kpi',
    [
      source,
      sortBy('price'),
      sortBy('fee', 'DESC'),
      pick('fee'),
      { type: 'unique', data: {} },
      { type: 'kpi', data: { value: 'fee' } },
    ],
  ],
];

describe('merging into SELECT blocks', () => {
  describe.each(DIALECTS)('%s', (dialect) => {
    it.each(FLAT)('%s is one flat SELECT', (_name, steps) => {
      const { sql, perNode } = compilePipeline(steps, dialect);
      expect(selects(sql)).toBe(1);
      expect(sql).not.toMatch(/\(\s*SELECT/);
      for (const node of perNode) expect(selects(node.sql)).toBe(1);
      expect(sql).toMatchSnapshot();
    });
  });

  it.each([
    [
      'group_by → group_by',
      [
        source,
        aggregate(['symbol', 'side'], { function: 'count', column: '*', alias: 'n' }),
        aggregate(['symbol'], { function: 'max', column: 'n' }),
      ],
      2,
    ],
    ['sample → filter', [source, { type: 'sample', data: { n: 10, seed: 1 } }, where('price', '>', 1)], 2],
    [
      'sample → select (a projection stays in the sampled block)',
      [source, { type: 'sample', data: { n: 10, seed: 1 } }, pick('price')],
      1,
    ],
    [
      'unique by key → filter',
      [source, { type: 'unique', data: { columns: ['symbol'] } }, where('price', '>', 1)],
      2,
    ],
    [
      'unique (whole rows) → filter',
      [source, pick('symbol', 'side'), { type: 'unique', data: {} }, where('side', '=', 'BUY')],
      1,
    ],
    [
      'select → unique → select fewer columns',
      [source, pick('symbol', 'side'), { type: 'unique', data: {} }, pick('symbol')],
      2,
    ],
    [
      'group_by without keys → kpi',
      [
        source,
        aggregate([], { function: 'sum', column: 'price', alias: 'total' }),
        { type: 'kpi', data: { value: 'total' } },
      ],
      1,
    ],
    [
      '20 alternating formula/filter steps',
      [
        source,
        ...Array.from({ length: 10 }, (_, i) => [
          derive(`c${i}`, i === 0 ? '[price] * 2' : `[c${i - 1}] + ${i}`),
          where(`c${i}`, '>', i),
        ]).flat(),
      ],
      1,
    ],
  ] as [string, Step[], number][])('%s → %i SELECT(s)', (_name, steps, count) => {
    for (const dialect of DIALECTS) expect(selects(compilePipeline(steps, dialect).sql)).toBe(count);
  });

  it('stops inlining before expressions blow up (each formula doubling the previous one)', () => {
    const formulas = Array.from({ length: 12 }, (_, i) => ({
      name: `c${i}`,
      expression: i === 0 ? '[quantity]' : `[c${i - 1}] + [c${i - 1}]`,
    }));
    const { sql } = compilePipeline([
      source,
      { type: 'formula', data: { formulas } },
      where('c11', '>', 0),
      pick('c11'),
    ]);
    expect(selects(sql)).toBeGreaterThan(1);
    expect(sql.length).toBeLessThan(20_000);
    // Small derivations still inline into one block.
    const short = compilePipeline([
      source,
      { type: 'formula', data: { formulas: formulas.slice(0, 4) } },
      where('c3', '>', 0),
    ]);
    expect(selects(short.sql)).toBe(1);
  });

  it('splits a long formula → filter chain into levels that pass earlier columns through as alias.*', () => {
    const chain = (pairs: number): Step[] => [
      source,
      ...Array.from({ length: pairs }, (_, i) => [
        derive(`c${i}`, i === 0 ? '[price] * 2' : `[c${i - 1}] + 1`),
        where(`c${i}`, '>', 1),
      ]).flat(),
    ];
    for (const dialect of DIALECTS) {
      const short = compilePipeline(chain(50), dialect).sql;
      const long = compilePipeline(chain(250), dialect).sql;
      expect(selects(long)).toBeGreaterThan(selects(short));
      // Listing every column at every level made the SQL grow quadratically (8× for 5× the nodes).
      expect(long.length / short.length).toBeLessThan(5.5);
      const [quote] = dialect === 'clickhouse' ? '`' : '"';
      expect(long).toContain(`SELECT ${quote}t1${quote}.*, `);
      // The outermost level lists every output column by name only through the star, never twice.
      expect(long.match(/AS [`"]c249[`"]/g)).toHaveLength(1);
    }
  });

  describe('a group_by result is ordered by its keys unless a later sort orders it', () => {
    const bySymbolSide = aggregate(['symbol', 'side'], { function: 'count', column: '*', alias: 'n' });
    it.each(DIALECTS)('%s', (dialect) => {
      const [q] = dialect === 'clickhouse' ? '`' : '"';
      const grouped = compilePipeline([source, bySymbolSide, where('n', '>', 1)], dialect).sql;
      expect(selects(grouped)).toBe(1);
      expect(grouped.replace(/[`"]t0[`"]\./g, '')).toMatch(
        new RegExp(`\nORDER BY ${q}symbol${q}, ${q}side${q}$`),
      );
      // A later sort replaces the keys' order in the same SELECT.
      const sorted = compilePipeline([source, bySymbolSide, sortBy('n', 'DESC')], dialect).sql;
      expect(selects(sorted)).toBe(1);
      expect(sorted.match(/ORDER BY/g)).toHaveLength(1);
      expect(sorted).toMatch(/\nORDER BY [^\n]*count[^\n]* DESC( NULLS LAST)?$/i);
      // Aggregating again drops the order: the inner level sorts nothing, the outer orders by its own keys.
      const twice = compilePipeline(
        [source, bySymbolSide, aggregate(['symbol'], { function: 'max', column: 'n' })],
        dialect,
      ).sql;
      expect(selects(twice)).toBe(2);
      expect(twice.match(/ORDER BY/g)).toHaveLength(1);
      expect(twice).toMatch(/\nORDER BY [`"]?t0[`"]?\.[`"]symbol[`"]$/);
      // Keyless aggregation is one row: nothing to order.
      expect(
        compilePipeline([source, aggregate([], { function: 'count', column: '*' })], dialect).sql,
      ).not.toContain('ORDER BY');
    });

    it('a join or union reading a group_by does not sort it first', () => {
      const grouped = { type: 'group_by', data: { group_by: ['symbol'], aggregations: [] } };
      const joined = compile(
        {
          nodes: [
            { id: 't', ...source },
            { id: 'g', ...grouped },
            { id: 'i', type: 'data_source', data: { database: 'market', table: 'instruments' } },
            {
              id: 'j',
              type: 'join',
              data: { join_type: 'LEFT', keys: [{ left: 'symbol', right: 'symbol' }] },
            },
          ],
          edges: [
            { id: '1', source: 't', target: 'g' },
            { id: '2', source: 'g', target: 'j', targetHandle: 'left' },
            { id: '3', source: 'i', target: 'j', targetHandle: 'right' },
          ],
        },
        'j',
        { catalog },
      );
      expect(joined.ok && selects(joined.sql)).toBe(2);
      expect(joined.ok && joined.sql).not.toContain('ORDER BY');
      const united = compile(
        {
          nodes: [
            { id: 't', ...source },
            { id: 'g', ...grouped },
            { id: 'u', type: 'union', data: { mode: 'ALL' } },
          ],
          edges: [
            { id: '1', source: 't', target: 'g' },
            { id: '2', source: 'g', target: 'u' },
            { id: '3', source: 'g', target: 'u' },
          ],
        },
        'u',
        { catalog },
      );
      expect(united.ok && united.sql).not.toContain('ORDER BY');
    });
  });

  it('joins plain scans into one block and moves side filters where they keep their meaning', () => {
    const graph = {
      nodes: [
        { id: 't', type: 'data_source', data: { database: 'market', table: 'trades' } },
        {
          id: 'tf',
          type: 'filter',
          data: { logic: 'AND', conditions: [{ column: 'side', op: '=', value: 'BUY' }] },
        },
        { id: 'i', type: 'data_source', data: { database: 'market', table: 'instruments' } },
        {
          id: 'if',
          type: 'filter',
          data: { logic: 'AND', conditions: [{ column: 'sector', op: 'IS_NOT_NULL' }] },
        },
        { id: 'j', type: 'join', data: { join_type: 'LEFT', keys: [{ left: 'symbol', right: 'symbol' }] } },
        {
          id: 'g',
          type: 'group_by',
          data: { group_by: ['sector'], aggregations: [{ function: 'sum', column: 'quantity' }] },
        },
        {
          id: 'h',
          type: 'filter',
          data: { logic: 'AND', conditions: [{ column: 'sum_quantity', op: '>', value: 10 }] },
        },
      ],
      edges: [
        { id: '1', source: 't', target: 'tf' },
        { id: '2', source: 'i', target: 'if' },
        { id: '3', source: 'tf', target: 'j', targetHandle: 'left' },
        { id: '4', source: 'if', target: 'j', targetHandle: 'right' },
        { id: '5', source: 'j', target: 'g' },
        { id: '6', source: 'g', target: 'h' },
      ],
    };
    const result = compile(graph, 'h', { catalog, dialect: 'postgres', acl: { allowedSymbols: ['AAPL'] } });
    expect(result.ok && result.sql).toMatchInlineSnapshot(`
      "SELECT "t1"."sector", CAST(SUM("t0"."quantity") AS DOUBLE PRECISION) AS "sum_quantity"
      FROM "market"."trades" AS "t0"
      LEFT JOIN "market"."instruments" AS "t1" ON "t0"."symbol" = "t1"."symbol" AND "t1"."symbol" IN ('AAPL') AND "t1"."sector" IS NOT NULL
      WHERE "t0"."symbol" IN ('AAPL') AND "t0"."side" = 'BUY'
      GROUP BY "t1"."sector"
      HAVING CAST(SUM("t0"."quantity") AS DOUBLE PRECISION) > 10
      ORDER BY "t1"."sector""
    `);
    const full = compile(
      {
        ...graph,
        nodes: graph.nodes.map((n) => (n.id === 'j' ? { ...n, data: { ...n.data, join_type: 'FULL' } } : n)),
      },
      'h',
      { catalog, dialect: 'postgres' },
    );
    // FULL preserves both sides: filtered sides must stay subqueries.
    expect(full.ok && selects(full.sql)).toBe(3);
  });

  it('applies the ACL at the scan, below every user node, and an empty ACL returns nothing', () => {
    const steps = [source, aggregate(['symbol'], { function: 'count', column: '*' }), where('count', '>', 1)];
    const { sql } = compilePipeline(steps, 'clickhouse', { allowedSymbols: ["O'Reilly", 'AAPL'] });
    expect(sql).toContain(
      "WHERE `t0`.`symbol` IN ('O\\'Reilly', 'AAPL')\nGROUP BY `t0`.`symbol`\nHAVING toInt64(count()) > 1",
    );
    expect(compilePipeline(steps, 'duckdb', { allowedSymbols: [] }).sql).toContain('WHERE FALSE');
  });

  it('caps the final LIMIT with the compile limit', () => {
    const steps = [source, sortBy('trade_id'), { type: 'table_view', data: { page: 1, page_size: 50 } }];
    const nodes = steps.map((s, i) => ({ id: `n${i}`, ...s }));
    const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id }));
    const capped = compile({ nodes, edges }, 'n2', { catalog, limit: 10 });
    expect(capped.ok && capped.sql).toMatch(/LIMIT 10\nOFFSET 50$/);
    const wide = compile({ nodes, edges }, 'n2', { catalog, limit: 500 });
    expect(wide.ok && wide.sql).toMatch(/LIMIT 50\nOFFSET 50$/);
    const preview = compile({ nodes, edges }, 'n1', { catalog, limit: 100 });
    expect(preview.ok && preview.sql).toMatch(/ORDER BY `trade_id`\nLIMIT 100$/);
  });
});
