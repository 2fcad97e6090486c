import { describe, expect, it } from 'vitest';
import { validate } from './index.ts';
import { fuzzDataset } from './testing/differential.ts';
import { FUZZ_DATABASE, type BuiltGraph } from './testing/random-graphs.ts';

/**
 * Every date function with every unit on every temporal argument type — `date` (day), zone-less `datetime` (ts) and
 * `datetime(UTC)` (tz) — validates and then runs on DuckDB, ClickHouse and PostgreSQL with the oracle's rows and
 * types: no combination passes `validate` and fails on an engine (HOUR of a date once did on PostgreSQL).
 */
const ARGS = ['day', 'ts', 'tz'];
const TRUNC_UNITS = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];
const DIFF_UNITS = ['second', 'minute', 'hour', 'day', 'week'];

const GROUPS: Record<string, string[]> = {
  parts: ['YEAR', 'MONTH', 'DAY', 'HOUR'].flatMap((fn) => ARGS.map((a) => `${fn}([${a}])`)),
  ...Object.fromEntries(
    TRUNC_UNITS.map((unit) => [`DATE_TRUNC ${unit}`, ARGS.map((a) => `DATE_TRUNC('${unit}', [${a}])`)]),
  ),
  ...Object.fromEntries(
    DIFF_UNITS.map((unit) => [
      `DATE_DIFF ${unit}`,
      ARGS.flatMap((a) => ARGS.map((b) => `DATE_DIFF('${unit}', [${a}], [${b}])`)),
    ]),
  ),
};

const { catalog, engines } = fuzzDataset();

function graphOf(expressions: string[]): BuiltGraph {
  return {
    graph: {
      nodes: [
        {
          id: 'src',
          type: 'data_source',
          position: { x: 0, y: 0 },
          data: { database: FUZZ_DATABASE, table: 't' },
        },
        {
          id: 'fx',
          type: 'formula',
          position: { x: 150, y: 0 },
          data: { formulas: expressions.map((expression, i) => ({ name: `f${i}`, expression })) },
        },
        {
          id: 'sel',
          type: 'select',
          position: { x: 300, y: 0 },
          data: { columns: ['id', ...expressions.map((_, i) => `f${i}`)] },
        },
      ],
      edges: [
        { id: 'e0', source: 'src', target: 'fx' },
        { id: 'e1', source: 'fx', target: 'sel' },
      ],
    },
    target: 'sel',
    limit: null,
  };
}

describe('date functions × units × argument types', () => {
  const groups = Object.entries(GROUPS);

  it.each(groups)('%s validates', (_name, expressions) => {
    expect(validate(graphOf(expressions).graph, catalog)).toEqual([]);
  });

  it(`${groups.length} groups run on every engine with the oracle's rows and types`, async () => {
    const problems = await engines.problemsOf(groups.map(([, expressions]) => graphOf(expressions)));
    const failing = Object.fromEntries(
      groups.flatMap(([name], i) => (problems[i]!.length > 0 ? [[name, problems[i]]] : [])),
    );
    expect(failing).toEqual({});
  });
});
