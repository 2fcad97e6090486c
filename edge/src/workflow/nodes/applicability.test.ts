import { describe, expect, it } from 'vitest';
import {
  AGGREGATE_FUNCTIONS,
  aggregateFunctionsFor,
  FILTER_OPS,
  filterOpsFor,
  validate,
  type ColumnType,
} from '../index.ts';

const TYPES: ColumnType[] = ['string', 'int64', 'float64', 'decimal(18,4)', 'datetime', 'date', 'boolean'];
const catalog = [
  { database: 'db', table: 't', store: 'duckdb', columns: TYPES.map((type, i) => ({ name: `c${i}`, type })) },
];
const graphWith = (type: string, data: unknown) => ({
  nodes: [
    { id: 's', type: 'data_source', position: { x: 0, y: 0 }, data: { database: 'db', table: 't' } },
    { id: 'n', type, position: { x: 0, y: 0 }, data },
  ],
  edges: [{ id: 'e', source: 's', target: 'n' }],
});
const sampleValue = (type: ColumnType, op: string): unknown => {
  const one =
    type === 'string' ? 'a' : type === 'boolean' ? true : type.startsWith('date') ? '2026-01-01' : 1;
  if (op === 'IN' || op === 'NOT_IN') return [one];
  if (op === 'BETWEEN') return [one, one];
  return op.startsWith('IS_') ? undefined : one;
};

// The canvas offers exactly what these functions return, so they must agree with what validation accepts.
describe('operator and function applicability', () => {
  it.each(TYPES.map((t, i) => [t, i] as const))('filter operators on %s match validation', (type, i) => {
    for (const op of FILTER_OPS) {
      const condition = { column: `c${i}`, op, value: sampleValue(type, op) };
      const issues = validate(graphWith('filter', { logic: 'AND', conditions: [condition] }), catalog);
      const mismatch = issues.some((issue) => issue.code === 'TYPE_MISMATCH');
      expect(mismatch, `${op} on ${type}`).toBe(!filterOpsFor(type).includes(op));
    }
  });

  it.each(TYPES.map((t, i) => [t, i] as const))('aggregate functions on %s match validation', (type, i) => {
    for (const fn of AGGREGATE_FUNCTIONS) {
      const issues = validate(
        graphWith('group_by', { group_by: [], aggregations: [{ function: fn, column: `c${i}` }] }),
        catalog,
      );
      expect(issues.length > 0, `${fn} on ${type}`).toBe(!aggregateFunctionsFor(type).includes(fn));
    }
  });

  it('keeps LIKE for strings and ordering away from booleans', () => {
    expect(filterOpsFor('boolean')).toEqual(['=', '!=', 'IN', 'NOT_IN', 'IS_NULL', 'IS_NOT_NULL']);
    expect(filterOpsFor('int64')).not.toContain('LIKE');
    expect(aggregateFunctionsFor('string')).toEqual(['count', 'min', 'max', 'count_distinct']);
    expect(aggregateFunctionsFor('boolean')).toEqual(['count', 'count_distinct']);
  });
});
