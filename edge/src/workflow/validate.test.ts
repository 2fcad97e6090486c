import { describe, expect, it } from 'vitest';
import { compile, ISSUE_CODES, validate, type IssueCode, type WorkflowIssue } from './index.ts';

const catalog = [
  {
    database: 'market',
    table: 'trades',
    store: 'clickhouse',
    columns: [
      { name: 'symbol', type: 'string' },
      { name: 'price', type: 'decimal(18,6)' },
      { name: 'quantity', type: 'int64' },
      { name: 'event_time', type: 'datetime' },
      { name: 'active', type: 'boolean' },
    ],
  },
  {
    database: 'market',
    table: 'instruments',
    store: 'clickhouse',
    columns: [
      { name: 'symbol', type: 'string' },
      { name: 'lot', type: 'float64' },
    ],
  },
  {
    database: 'live',
    table: 'positions',
    store: 'materialize',
    columns: [
      { name: 'symbol', type: 'string' },
      { name: 'qty', type: 'int64' },
    ],
  },
];

type NodeSpec = { id: string; type: string; data?: unknown };
const graph = (nodes: NodeSpec[], edges: [string, string, string?][] = []) => ({
  nodes: nodes.map((n) => ({ position: { x: 0, y: 0 }, data: {}, ...n })),
  edges: edges.map(([source, target, targetHandle], i) => ({
    id: `e${i}`,
    source,
    target,
    ...(targetHandle ? { targetHandle } : {}),
  })),
});
const chain = (...nodes: NodeSpec[]) =>
  graph(
    nodes,
    nodes.slice(1).map((n, i) => [nodes[i]!.id, n.id]),
  );
const trades: NodeSpec = { id: 'src', type: 'data_source', data: { database: 'market', table: 'trades' } };
const instruments: NodeSpec = {
  id: 'ins',
  type: 'data_source',
  data: { database: 'market', table: 'instruments' },
};
const where = (column: string, op: string, value?: unknown): NodeSpec => ({
  id: 'f',
  type: 'filter',
  data: { logic: 'AND', conditions: [{ column, op, value }] },
});
const formula = (expression: string): NodeSpec => ({
  id: 'fx',
  type: 'formula',
  data: { formulas: [{ name: 'out', expression }] },
});

interface Case {
  name: string;
  graph: unknown;
  catalog?: unknown;
  /** compile this target instead of validating the whole graph */
  target?: string;
  expected: Partial<WorkflowIssue> & { code: IssueCode };
  message?: RegExp;
}

const CASES: Case[] = [
  {
    name: 'a graph that is not a graph',
    graph: { nodes: [{ id: 'a' }], edges: [] },
    expected: { nodeId: '', code: 'INVALID_GRAPH', field: 'nodes[0].type' },
  },
  {
    name: 'a malformed catalog',
    graph: chain(trades),
    catalog: [{ database: 'm', table: 't', store: 'clickhouse', columns: [{ name: 'x', type: 'varchar' }] }],
    expected: { code: 'INVALID_CATALOG', field: '[0].columns[0].type' },
  },
  {
    name: 'a config that fails its schema',
    graph: chain(trades, { id: 's', type: 'sort', data: { sorts: [{ column: 'price', direction: 'UP' }] } }),
    expected: { nodeId: 's', code: 'INVALID_CONFIG', field: 'sorts[0].direction' },
  },
  {
    name: 'an unknown filter operator',
    graph: chain(trades, where('price', '=~', 1)),
    expected: { nodeId: 'f', code: 'INVALID_CONFIG', field: 'conditions[0].op' },
  },
  {
    name: 'an unknown node type',
    graph: chain(trades, { id: 'x', type: 'filtr' }),
    expected: { nodeId: 'x', code: 'UNKNOWN_NODE_TYPE', field: 'type' },
    message: /Did you mean "filter"\?/,
  },
  {
    name: 'two nodes with one id',
    graph: graph([trades, { ...trades }]),
    expected: { nodeId: 'src', code: 'DUPLICATE_NODE_ID' },
  },
  {
    name: 'an edge to a missing node',
    graph: graph([trades], [['src', 'ghost']]),
    expected: { nodeId: 'src', code: 'DANGLING_EDGE' },
    message: /"ghost"/,
  },
  {
    name: 'a cycle',
    graph: graph(
      [trades, { id: 'a', type: 'union' }, { id: 'b', type: 'sort', data: { sorts: [{ column: 'price' }] } }],
      [
        ['src', 'a'],
        ['b', 'a'],
        ['a', 'b'],
      ],
    ),
    expected: { nodeId: 'a', code: 'CYCLE' },
  },
  {
    name: 'a node without its input',
    graph: graph([{ id: 's', type: 'sort', data: { sorts: [{ column: 'price' }] } }]),
    expected: { nodeId: 's', code: 'MISSING_INPUT' },
  },
  {
    name: 'a join missing its right input',
    graph: graph(
      [trades, { id: 'j', type: 'join', data: { keys: [{ left: 'symbol', right: 'symbol' }] } }],
      [['src', 'j', 'left']],
    ),
    expected: { nodeId: 'j', code: 'MISSING_INPUT', field: 'right' },
  },
  {
    name: 'two inputs into a one-input node',
    graph: graph(
      [trades, instruments, { id: 'sel', type: 'select', data: { columns: ['symbol'] } }],
      [
        ['src', 'sel'],
        ['ins', 'sel'],
      ],
    ),
    expected: { nodeId: 'sel', code: 'DUPLICATE_INPUT' },
  },
  {
    name: 'two edges on one join handle',
    graph: graph(
      [trades, instruments, { id: 'j', type: 'join', data: { keys: [{ left: 'symbol', right: 'symbol' }] } }],
      [
        ['src', 'j', 'left'],
        ['ins', 'j', 'left'],
      ],
    ),
    expected: { nodeId: 'j', code: 'DUPLICATE_INPUT', field: 'left' },
  },
  {
    name: 'an edge into a data source',
    graph: graph([trades, instruments], [['src', 'ins']]),
    expected: { nodeId: 'ins', code: 'UNEXPECTED_INPUT' },
  },
  {
    name: 'an edge out of a table view',
    graph: graph(
      [trades, { id: 'tv', type: 'table_view' }, { id: 'u', type: 'unique' }],
      [
        ['src', 'tv'],
        ['tv', 'u'],
      ],
    ),
    expected: { nodeId: 'tv', code: 'TERMINAL_NODE_HAS_OUTPUT' },
  },
  {
    name: 'a target that does not exist',
    graph: chain(trades),
    target: 'nope',
    expected: { nodeId: 'nope', code: 'UNKNOWN_TARGET' },
  },
  {
    name: 'an unknown table',
    graph: chain({ id: 'src', type: 'data_source', data: { database: 'market', table: 'trade' } }),
    expected: { nodeId: 'src', code: 'UNKNOWN_TABLE', field: 'table' },
    message: /Did you mean "trades"\?/,
  },
  {
    name: 'an unknown database',
    graph: chain({ id: 'src', type: 'data_source', data: { database: 'markt', table: 'trades' } }),
    expected: { nodeId: 'src', code: 'UNKNOWN_TABLE', field: 'database' },
    message: /Did you mean "market"\?/,
  },
  {
    name: 'an unknown column',
    graph: chain(trades, where('prise', '>', 1)),
    expected: { nodeId: 'f', code: 'UNKNOWN_COLUMN', field: 'conditions[0].column' },
    message: /Did you mean "price"\?/,
  },
  {
    name: 'an unknown column in a formula',
    graph: chain(trades, formula('[quantty] * 2')),
    expected: { nodeId: 'fx', code: 'UNKNOWN_COLUMN', field: 'formulas[0].expression' },
    message: /Did you mean \[quantity\]\?|Did you mean "quantity"\?/,
  },
  {
    name: 'an unknown column without a close match',
    graph: chain(trades, { id: 'sel', type: 'select', data: { columns: ['zzzzzz'] } }),
    expected: { nodeId: 'sel', code: 'UNKNOWN_COLUMN', field: 'columns[0]' },
  },
  {
    name: 'an alias that repeats a group key',
    graph: chain(trades, {
      id: 'g',
      type: 'group_by',
      data: { group_by: ['symbol'], aggregations: [{ function: 'count', column: '*', alias: 'symbol' }] },
    }),
    expected: { nodeId: 'g', code: 'DUPLICATE_COLUMN', field: 'aggregations[0].alias' },
  },
  {
    name: 'a rename onto an existing name',
    graph: chain(trades, { id: 'r', type: 'rename', data: { renames: { price: 'symbol' } } }),
    expected: { nodeId: 'r', code: 'DUPLICATE_COLUMN' },
  },
  {
    name: '> 5 on a string column',
    graph: chain(trades, where('symbol', '>', 5)),
    expected: { nodeId: 'f', code: 'TYPE_MISMATCH', field: 'conditions[0].value' },
  },
  {
    name: 'LIKE on a number',
    graph: chain(trades, where('price', 'LIKE', '1%')),
    expected: { nodeId: 'f', code: 'TYPE_MISMATCH', field: 'conditions[0].op' },
  },
  {
    name: 'a LIKE pattern ending in the escape character (every engine rejects it at run time)',
    graph: chain(trades, where('symbol', 'LIKE', 'AB\\')),
    expected: { nodeId: 'f', code: 'INVALID_VALUE', field: 'conditions[0].value' },
    message: /ends with the escape character/,
  },
  {
    name: 'a formula comparing with NULL (never true)',
    graph: chain(trades, {
      id: 'x',
      type: 'formula',
      data: { formulas: [{ name: 'y', expression: "IF([price] = NULL, 'none', 'some')" }] },
    }),
    expected: { nodeId: 'x', code: 'TYPE_MISMATCH', field: 'formulas[0].expression' },
    message: /IS NULL/,
  },
  {
    name: 'sum of a string',
    graph: chain(trades, {
      id: 'g',
      type: 'group_by',
      data: { group_by: [], aggregations: [{ function: 'sum', column: 'symbol' }] },
    }),
    expected: { nodeId: 'g', code: 'TYPE_MISMATCH', field: 'aggregations[0].column' },
  },
  {
    name: 'join keys of different types',
    graph: graph(
      [trades, instruments, { id: 'j', type: 'join', data: { keys: [{ left: 'price', right: 'symbol' }] } }],
      [
        ['src', 'j', 'left'],
        ['ins', 'j', 'right'],
      ],
    ),
    expected: { nodeId: 'j', code: 'TYPE_MISMATCH', field: 'keys[0].right' },
  },
  {
    name: 'a formula adding a string to a number',
    graph: chain(trades, formula('[symbol] + 1')),
    expected: { nodeId: 'fx', code: 'TYPE_MISMATCH', field: 'formulas[0].expression' },
    message: /position 0/,
  },
  {
    name: 'a chart y that is not numeric',
    graph: chain(trades, { id: 'b', type: 'bar_chart', data: { x: 'event_time', y: ['symbol'] } }),
    expected: { nodeId: 'b', code: 'TYPE_MISMATCH', field: 'y[0]' },
  },
  {
    name: 'IN without a list',
    graph: chain(trades, where('symbol', 'IN', 'AAPL')),
    expected: { nodeId: 'f', code: 'INVALID_VALUE', field: 'conditions[0].value' },
  },
  {
    name: 'BETWEEN with one bound',
    graph: chain(trades, where('price', 'BETWEEN', [1])),
    expected: { nodeId: 'f', code: 'INVALID_VALUE', field: 'conditions[0].value' },
  },
  {
    name: 'a datetime that is not ISO',
    graph: chain(trades, where('event_time', '>', 'yesterday')),
    expected: { nodeId: 'f', code: 'INVALID_VALUE', field: 'conditions[0].value' },
  },
  {
    name: 'a NUL character in a value',
    graph: chain(trades, where('symbol', '=', 'A\u0000B')),
    expected: { nodeId: 'f', code: 'INVALID_VALUE', field: 'conditions[0].value' },
  },
  {
    name: 'a non-finite number',
    graph: chain(trades, where('price', '>', 'Infinity')),
    expected: { nodeId: 'f', code: 'TYPE_MISMATCH', field: 'conditions[0].value' },
  },
  {
    name: 'union inputs with different columns',
    graph: graph(
      [trades, instruments, { id: 'u', type: 'union' }],
      [
        ['src', 'u'],
        ['ins', 'u'],
      ],
    ),
    expected: { nodeId: 'u', code: 'UNION_MISMATCH' },
    message: /lacks "price", "quantity", "event_time", "active" and has extra "lot"/,
  },
  {
    name: 'union columns of incompatible types',
    graph: graph(
      [
        trades,
        { id: 'a', type: 'select', data: { columns: ['symbol'] } },
        instruments,
        { id: 'b', type: 'rename', data: { renames: { symbol: 's', lot: 'symbol' } } },
        { id: 'bs', type: 'select', data: { columns: ['symbol'] } },
        { id: 'u', type: 'union' },
      ],
      [
        ['src', 'a'],
        ['ins', 'b'],
        ['b', 'bs'],
        ['a', 'u'],
        ['bs', 'u'],
      ],
    ),
    expected: { nodeId: 'u', code: 'UNION_MISMATCH' },
    message: /"symbol" is string in input 1 but float64 in input 2/,
  },
  {
    name: 'a formula syntax error, with its position',
    graph: chain(trades, formula('[price] * (2 + ')),
    expected: { nodeId: 'fx', code: 'FORMULA_SYNTAX', field: 'formulas[0].expression' },
    message: /Unexpected end of formula at position 15/,
  },
  {
    name: 'an unknown formula function',
    graph: chain(trades, formula('ROUDN([price], 2)')),
    expected: { nodeId: 'fx', code: 'UNKNOWN_FUNCTION' },
    message: /Did you mean "ROUND"\?/,
  },
  {
    name: 'a page past the 10 000-row limit',
    graph: chain(trades, { id: 'tv', type: 'table_view', data: { page: 201, page_size: 50 } }),
    expected: { nodeId: 'tv', code: 'PAGE_LIMIT_EXCEEDED', field: 'page' },
    message: /10,000-row paging limit: add a filter .* export to CSV/,
  },
  {
    name: 'formulas whose substituted expressions explode',
    graph: chain(
      trades,
      {
        id: 'fx',
        type: 'formula',
        data: {
          formulas: Array.from({ length: 16 }, (_, i) => ({
            name: `c${i}`,
            expression: i === 0 ? '[quantity]' : `[c${i - 1}] * [c${i - 1}]`,
          })),
        },
      },
      where('c15', '>', 0),
    ),
    expected: { nodeId: 'fx', code: 'TOO_COMPLEX' },
    message: /grow past 5,000 operations/,
  },
  {
    name: 'the same, reported by compile',
    graph: chain(trades, {
      id: 'fx',
      type: 'formula',
      data: {
        formulas: Array.from({ length: 16 }, (_, i) => ({
          name: `c${i}`,
          expression: i === 0 ? '[quantity]' : `[c${i - 1}] * [c${i - 1}]`,
        })),
      },
    }),
    target: 'fx',
    expected: { nodeId: 'fx', code: 'TOO_COMPLEX' },
  },
  {
    name: 'a subgraph reading two stores',
    graph: graph(
      [
        trades,
        { id: 'pos', type: 'data_source', data: { database: 'live', table: 'positions' } },
        { id: 'j', type: 'join', data: { keys: [{ left: 'symbol', right: 'symbol' }] } },
      ],
      [
        ['src', 'j', 'left'],
        ['pos', 'j', 'right'],
      ],
    ),
    target: 'j',
    expected: { nodeId: 'src', code: 'MIXED_STORES' },
    message: /clickhouse \("src"\) and materialize \("pos"\)/,
  },
];

function problems(c: Case): WorkflowIssue[] {
  if (c.target === undefined) return validate(c.graph, c.catalog ?? catalog);
  const result = compile(c.graph, c.target, { catalog: c.catalog ?? catalog });
  return result.ok ? [] : result.errors;
}

describe('validate / compile errors', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const found = problems(c);
    expect(found).toContainEqual(expect.objectContaining(c.expected));
    const match = found.find((p) => p.code === c.expected.code)!;
    if (c.message) expect(match.message).toMatch(c.message);
    // Every issue is a plain value pointing at a node (or at the document).
    for (const p of found)
      expect(Object.keys(p).sort()).toEqual(
        p.field === undefined ? ['code', 'message', 'nodeId'] : ['code', 'field', 'message', 'nodeId'],
      );
  });

  it('exercises every issue code', () => {
    expect([...new Set(CASES.map((c) => c.expected.code))].sort()).toEqual([...ISSUE_CODES].sort());
  });

  it('reports every problem of a graph at once', () => {
    const g = graph(
      [
        trades,
        where('prise', '>', 1),
        { id: 'sel', type: 'select', data: { columns: ['nope'] } },
        { id: 'x', type: 'mystery' },
        { id: 'tv', type: 'table_view', data: { page: 500 } },
      ],
      [
        ['src', 'f'],
        ['src', 'sel'],
        ['src', 'tv'],
      ],
    );
    expect(validate(g, catalog).map((p) => `${p.nodeId}:${p.code}`)).toEqual([
      'x:UNKNOWN_NODE_TYPE',
      'f:UNKNOWN_COLUMN',
      'sel:UNKNOWN_COLUMN',
      'tv:PAGE_LIMIT_EXCEEDED',
    ]);
  });

  it('checks compile options like any other input', () => {
    const g = chain(trades);
    const bad = (options: object) =>
      compile(g, 'src', { catalog, ...options } as Parameters<typeof compile>[2]);
    expect(bad({ dialect: 'oracle' })).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_VALUE', field: 'dialect' }],
    });
    expect(bad({ limit: -1 })).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_VALUE', field: 'limit' }],
    });
    expect(bad({ limit: 1.5 })).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_VALUE', field: 'limit' }],
    });
    expect(bad({ acl: { allowedSymbols: 'AAPL' } })).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_VALUE', field: 'acl.allowedSymbols' }],
    });
  });

  it('a valid graph has no problems, and problems outside the target subgraph do not block compile', () => {
    const g = graph(
      [
        trades,
        { id: 'ok', type: 'select', data: { columns: ['symbol'] } },
        { id: 'bad', type: 'select', data: { columns: ['nope'] } },
      ],
      [
        ['src', 'ok'],
        ['src', 'bad'],
      ],
    );
    expect(
      validate(chain(trades, { id: 'ok', type: 'select', data: { columns: ['symbol'] } }), catalog),
    ).toEqual([]);
    expect(compile(g, 'ok', { catalog }).ok).toBe(true);
    expect(compile(g, 'bad', { catalog })).toMatchObject({
      ok: false,
      errors: [{ nodeId: 'bad', code: 'UNKNOWN_COLUMN' }],
    });
  });
});
