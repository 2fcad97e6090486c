import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import { compile, validate } from '../index.ts';
import { lowerNodes } from '../lower.ts';
import { Merger } from '../merge.ts';
import { printQuery } from '../print.ts';
import type { Store } from '../schema.ts';
import type { ColumnType } from '../types.ts';
import {
  DATE_FUNCTIONS,
  dateArgumentProblem,
  TEMPORAL_KINDS,
  type DateFunction,
  type TemporalKind,
} from './dialect.ts';
import type { Expr } from '../ir.ts';
import type { Query } from '../sql.ts';
import { DIALECT_BY_NAME, DIALECTS, STORE_DIALECT, type Dialect, type DialectName } from './index.ts';

/**
 * Each dialect's `dateArguments` table is the one source both `validate` and the printer read: for every entry,
 * either both accept a call (it validates, compiles and prints) or both refuse it (a node-level issue, and the
 * printer throws). `date-functions.test.ts` runs every accepted combination on the engines.
 */
const COLUMN: Record<TemporalKind, { name: string; type: ColumnType }> = {
  date: { name: 'day', type: 'date' },
  datetime: { name: 'ts', type: 'datetime' },
  'datetime(zone)': { name: 'tz', type: 'datetime(UTC)' },
};
const STORE: Record<DialectName, Store> = {
  clickhouse: 'clickhouse',
  postgres: 'postgres',
  duckdb: 'duckdb',
};

const catalogFor = (dialect: DialectName) => [
  {
    database: 'd',
    table: 't',
    store: STORE[dialect],
    columns: [{ name: 'id', type: 'int64' }, ...Object.values(COLUMN)],
  },
];

const formulaText = (fn: string, column: string): string =>
  fn === 'DATE_TRUNC'
    ? `DATE_TRUNC('day', [${column}])`
    : fn === 'DATE_DIFF'
      ? `DATE_DIFF('day', [${column}], [${column}])`
      : `${fn}([${column}])`;

const graphOf = (expression: string) => ({
  nodes: [
    { id: 'src', type: 'data_source', position: { x: 0, y: 0 }, data: { database: 'd', table: 't' } },
    {
      id: 'fx',
      type: 'formula',
      position: { x: 0, y: 0 },
      data: { formulas: [{ name: 'v', expression }] },
    },
  ],
  edges: [{ id: 'e', source: 'src', target: 'fx' }],
});

/** `SELECT fn(column) AS v FROM d.t` as the merge stage would hand it to the printer. */
function selectOf(fn: DateFunction, type: ColumnType): Query {
  const arg: Expr = { kind: 'col', name: 'x', type, table: 'a' };
  const call: Expr = {
    kind: 'call',
    fn,
    args: fn === 'DATE_DIFF' ? [arg, arg] : [arg],
    type: fn === 'DATE_TRUNC' ? 'datetime' : 'int64',
    ...(fn === 'DATE_TRUNC' || fn === 'DATE_DIFF' ? { unit: 'day' as const } : {}),
  };
  return {
    kind: 'select',
    from: { kind: 'table', database: 'd', table: 't', alias: 'a' },
    joins: [],
    where: [],
    groupBy: null,
    having: [],
    columns: [{ name: 'v', expr: call }],
    distinct: false,
    distinctOn: null,
    orderBy: [],
    limit: null,
    offset: 0,
  };
}

const ENTRIES = DIALECTS.flatMap((dialect) =>
  DATE_FUNCTIONS.flatMap((fn) => TEMPORAL_KINDS.map((kind) => [dialect, fn, kind] as const)),
);

describe('date/time argument tables', () => {
  it('every store speaks a dialect with a table entry for every date function', () => {
    for (const store of Object.values(STORE))
      expect(Object.keys(DIALECT_BY_NAME[STORE_DIALECT[store]].dateArguments).sort()).toEqual(
        [...DATE_FUNCTIONS].sort(),
      );
  });

  it.each(ENTRIES)('%s %s(%s): the printer and validate agree with the table', (dialect, fn, kind) => {
    const d = DIALECT_BY_NAME[dialect];
    const allowed = d.dateArguments[fn].includes(kind);
    expect(dateArgumentProblem(d, fn, [COLUMN[kind].type]) === undefined).toBe(allowed);
    // The printer, given the call as the IR holds it, prints exactly what the table allows.
    const print = () => printQuery(selectOf(fn, COLUMN[kind].type), d);
    if (allowed) expect(print()).toContain('AS ');
    else expect(print).toThrow(`${fn} cannot take a ${kind} on ${dialect}`);
    // As a formula writes it (HOUR and DATE_DIFF receive a date as a datetime at midnight), it validates exactly
    // when it compiles.
    const graph = graphOf(formulaText(fn, COLUMN[kind].name));
    const catalog = catalogFor(dialect);
    const compiled = compile(graph, 'fx', { catalog });
    expect(validate(graph, catalog)).toEqual(compiled.ok ? [] : compiled.errors);
    expect(compiled.ok).toBe(true);
  });

  it('a dialect refusing an argument kind: validate names the node, compile refuses, the printer throws', () => {
    const base = DIALECT_BY_NAME.duckdb;
    const strict: Dialect = { ...base, dateArguments: { ...base.dateArguments, YEAR: ['datetime'] } };
    const catalog = catalogFor('duckdb');
    const analyzed = analyze(graphOf('YEAR([day]) + 1'), catalog);
    if (!analyzed.ok) throw new Error('invalid test graph');
    const { analysis } = analyzed;
    const order = analysis.structure.order;
    const lowered = lowerNodes(analysis, order, { catalog: analysis.catalog }, () => strict);
    const message = 'YEAR cannot take a date on duckdb (it takes datetime)';
    expect(lowered.issues).toEqual([{ nodeId: 'fx', code: 'TYPE_MISMATCH', message }]);
    const query = new Merger().query(lowered.rels.get('fx')!);
    expect(() => printQuery(query, strict)).toThrow(message);
    // The real table accepts it, so the same graph prints.
    expect(printQuery(query, base)).toContain('EXTRACT(YEAR FROM');
  });

  it('HOUR of a date prints as the hour of a datetime at midnight on every dialect (the table refuses a bare date)', () => {
    for (const dialect of DIALECTS) {
      expect(DIALECT_BY_NAME[dialect].dateArguments.HOUR).not.toContain('date');
      const compiled = compile(graphOf('HOUR([day])'), 'fx', { catalog: catalogFor(dialect) });
      expect(compiled.ok).toBe(true);
    }
  });
});
