import type { DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, DIALECTS, ISSUE_CODES, NODE_TYPES, propagate, validate } from './index.ts';
import { duckdbEngine, type Engine } from './testing/engines.ts';

/**
 * Random graphs — valid, half-valid and garbage — never make the engine throw (the API must answer 422, not 500),
 * and every graph that compiles runs on DuckDB and returns the propagated columns.
 */
const RUNS = 3000;
const COLUMNS = ['a', 'b', 'c', 'd', 'x', 'nope'];
const catalog = [
  {
    database: 'r',
    table: 't',
    store: 'duckdb',
    columns: [
      { name: 'a', type: 'int64' },
      { name: 'b', type: 'string', nullable: true },
      { name: 'c', type: 'decimal(10,2)' },
      { name: 'd', type: 'datetime' },
    ],
  },
];

// Mostly real columns, so many graphs are valid; sometimes a formula output or an unknown name.
const column = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'c', 'd') },
  { weight: 1, arbitrary: fc.constantFrom(...COLUMNS) },
);
const value = fc.oneof(
  fc.integer({ min: -5, max: 50 }),
  fc.constantFrom('b1', 'b2', "o'k", '2026-01-01', 'x'),
  fc.boolean(),
  fc.constant(null),
);
const configs: Record<string, fc.Arbitrary<unknown>> = {
  data_source: fc.oneof(
    fc.constant({ database: 'r', table: 't' }),
    fc.record({ database: fc.constantFrom('r', 'q'), table: fc.constantFrom('t', 'u') }),
  ),
  filter: fc.record({
    logic: fc.constantFrom('AND', 'OR'),
    conditions: fc.array(
      fc.record({
        column,
        op: fc.constantFrom('=', '!=', '>', '<', 'LIKE', 'IN', 'IS_NULL', 'BETWEEN'),
        value: fc.oneof(value, fc.array(value, { maxLength: 3 })),
      }),
      { maxLength: 3 },
    ),
  }),
  select: fc.record({ columns: fc.uniqueArray(column, { minLength: 1, maxLength: 3 }) }),
  sort: fc.record({
    sorts: fc.array(fc.record({ column, direction: fc.constantFrom('ASC', 'DESC') }), {
      minLength: 1,
      maxLength: 2,
    }),
  }),
  group_by: fc.record({
    group_by: fc.uniqueArray(column, { maxLength: 2 }),
    aggregations: fc.array(
      fc.record({
        function: fc.constantFrom('count', 'sum', 'avg', 'min', 'max', 'count_distinct'),
        column: fc.oneof(column, fc.constant('*')),
      }),
      { maxLength: 2 },
    ),
  }),
  join: fc.record({
    join_type: fc.constantFrom('INNER', 'LEFT', 'RIGHT', 'FULL'),
    keys: fc.array(fc.record({ left: column, right: column }), { maxLength: 2 }),
  }),
  union: fc.record({ mode: fc.constantFrom('ALL', 'DISTINCT') }),
  formula: fc.record({
    formulas: fc.array(
      fc.record({
        name: fc.constantFrom('x', 'y', 'a'),
        expression: fc.constantFrom(
          '[a] * 2',
          "CONCAT([b], '!')",
          '[c] / [a]',
          'ROUND([c], 1)',
          "DATE_TRUNC('day', [d])",
          '[x] + 1',
          'IF([a] > 3, [a], NULL)',
          '[a] +',
        ),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  }),
  rename: fc.record({ renames: fc.dictionary(column, fc.constantFrom('x', 'y', 'z', 'a'), { maxKeys: 2 }) }),
  unique: fc.oneof(
    fc.constant({}),
    fc.record({ columns: fc.uniqueArray(column, { minLength: 1, maxLength: 2 }) }),
  ),
  sample: fc.record({ n: fc.integer({ min: 0, max: 5 }), seed: fc.integer({ min: 0, max: 9 }) }),
  table_view: fc.record({ page: fc.integer({ min: 0, max: 300 }), page_size: fc.constantFrom(10, 50) }),
  bar_chart: fc.record({ x: column, y: fc.array(column, { minLength: 1, maxLength: 2 }) }),
  line_chart: fc.record({ x: column, y: fc.array(column, { minLength: 1, maxLength: 2 }), series: column }),
  candlestick: fc.record({ time: column, open: column, high: column, low: column, close: column }),
  scatter: fc.record({ x: column, y: column }),
  kpi: fc.record({ value: column }),
  pivot: fc.record({
    rows: fc.uniqueArray(column, { minLength: 1, maxLength: 1 }),
    columns: fc.uniqueArray(column, { maxLength: 1 }),
    values: fc.constant([{ column: 'a', function: 'sum' }]),
  }),
};
const types = [...NODE_TYPES.keys()];

const node = (id: string) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .constantFrom(...types)
        .chain((type) => configs[type]!.map((data) => ({ id, type, data }))),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        id: fc.constant(id),
        type: fc.constantFrom(...types, 'bogus'),
        data: fc.anything(),
      }),
    },
  );

/** Mostly a chain n0 → n1 → … (so many graphs are valid), plus random extra edges and handles. */
const graph = fc.integer({ min: 1, max: 6 }).chain((size) => {
  const ids = Array.from({ length: size }, (_, i) => `n${i}`);
  return fc
    .record({
      nodes: fc.tuple(
        fc.constant({ id: 'n0', type: 'data_source', data: { database: 'r', table: 't' } }),
        ...ids.slice(1).map(node),
      ),
      chain: fc.array(
        fc.oneof({ weight: 12, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        { minLength: size, maxLength: size },
      ),
      extra: fc.array(
        fc.record({
          source: fc.constantFrom(...ids),
          target: fc.constantFrom(...ids),
          targetHandle: fc.constantFrom(undefined, 'left', 'right', 'x'),
        }),
        { maxLength: 2 },
      ),
    })
    .map(({ nodes, chain, extra }) => ({
      nodes,
      edges: [
        ...ids.slice(1).flatMap((id, i) =>
          chain[i]
            ? [
                {
                  id: `c${i}`,
                  source: ids[i]!,
                  target: id,
                  ...(nodes[i + 1]!.type === 'join' ? { targetHandle: 'left' } : {}),
                },
              ]
            : [],
        ),
        ...extra.map((e, i) => ({
          id: `x${i}`,
          source: e.source,
          target: e.target,
          ...(e.targetHandle ? { targetHandle: e.targetHandle } : {}),
        })),
      ],
    }));
});

let duck: Engine & { connection: DuckDBConnection };

beforeAll(async () => {
  duck = await duckdbEngine();
  await duck.connection
    .run(`CREATE SCHEMA r; CREATE TABLE r.t (a BIGINT NOT NULL, b VARCHAR, c DECIMAL(10,2) NOT NULL, d TIMESTAMP NOT NULL);
    INSERT INTO r.t VALUES (1, 'b1', 2.50, TIMESTAMP '2026-01-01 10:00:00'), (4, NULL, 10.00, TIMESTAMP '2026-01-02 11:30:00'), (7, 'b2', -3.25, TIMESTAMP '2026-01-02 12:00:00')`);
});

afterAll(async () => {
  await duck.close();
});

describe('random graphs', () => {
  it(`never throw, and whatever compiles runs on DuckDB with the propagated columns (${RUNS} graphs)`, async () => {
    let compiled = 0;
    let deep = 0;
    await fc.assert(
      fc.asyncProperty(graph, async (g) => {
        const issues = validate(g, catalog);
        const { schemas, errors } = propagate(g, catalog);
        for (const i of [...issues, ...errors]) expect(ISSUE_CODES).toContain(i.code);
        for (const target of g.nodes.map((n) => n.id)) {
          for (const dialect of DIALECTS) {
            const result = compile(g, target, { catalog, dialect });
            if (!result.ok) {
              expect(result.errors.length).toBeGreaterThan(0);
              continue;
            }
            expect(result.schema).toEqual(schemas[target]);
            if (dialect !== 'duckdb') continue;
            compiled++;
            if (target !== 'n0' && target !== 'n1') deep++;
            const reader = await duck.connection.runAndReadAll(result.sql).catch((error: unknown) => {
              throw new Error(`${String(error)}\n${result.sql}\n${JSON.stringify(g)}`);
            });
            expect(reader.columnCount).toBe(result.schema.length);
          }
        }
      }),
      { numRuns: RUNS },
    );
    console.info(
      `random graphs: ${RUNS}, targets compiled and executed: ${compiled} (${deep} three or more nodes deep)`,
    );
    expect(compiled).toBeGreaterThan(RUNS / 2);
    expect(deep).toBeGreaterThan(100);
  }, 300_000);
});
