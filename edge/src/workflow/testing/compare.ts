import { isDateTime, isDecimal, normalizeType, type ColumnType } from '../types.ts';
import type { OracleResult } from './oracle.ts';

/**
 * Checks an engine's answer against the propagated schema and the oracle: the engine's column types normalize to the
 * propagated ones, every value has its type's JSON form (json-value.ts) and NULLs only appear in nullable columns,
 * and the rows equal the oracle's (in order where the graph defines one; ties compare as multisets).
 */
export function mismatches(
  result: { columns: { name: string; type: string }[]; rows: unknown[][] },
  oracle: OracleResult,
): string[] {
  const problems: string[] = [];
  const schema = oracle.columns;
  if (result.columns.length !== schema.length)
    return [`${result.columns.length} columns, expected ${schema.length}`];
  schema.forEach((column, i) => {
    const engineType = normalizeType(result.columns[i]!.type).type;
    if (!sameType(engineType, column.type))
      problems.push(`column ${column.name}: engine type ${result.columns[i]!.type}, expected ${column.type}`);
  });
  for (const row of result.rows)
    row.forEach((value, i) => {
      const column = schema[i]!;
      if (value === null ? !column.nullable : !hasJsonForm(value, column.type))
        problems.push(
          `column ${column.name} (${column.type}${column.nullable ? ', nullable' : ''}): ${JSON.stringify(value)}`,
        );
    });
  if (problems.length > 0) return problems.slice(0, 5);
  if (!oracle.determinate) return [];
  if (result.rows.length !== oracle.rows.length)
    return [
      `${result.rows.length} rows, expected ${oracle.rows.length}`,
      ...firstDifference(result.rows, oracle),
    ];
  return firstDifference(result.rows, oracle);
}

/** Decimal precision is the engine's business (PostgreSQL reports plain `numeric`); the family must match. */
const sameType = (a: ColumnType, b: ColumnType): boolean => a === b || (isDecimal(a) && isDecimal(b));

export function hasJsonForm(value: unknown, type: ColumnType): boolean {
  if (isDateTime(type))
    return typeof value === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/.test(value);
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'float64':
      return typeof value === 'number';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
    case 'int64':
      return Number.isSafeInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value));
    default:
      return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));
  }
}

/** Numbers compare to 9 significant digits: engines add floats in different orders. */
const canonical = (value: unknown): unknown =>
  typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
    ? Number(value) === 0
      ? 0
      : Number(Number(value).toPrecision(9))
    : value;

const rowKey = (row: readonly unknown[]): string => JSON.stringify(row.map(canonical));

function firstDifference(rows: unknown[][], oracle: OracleResult): string[] {
  // Compare group by group of ties: within a group any order is right.
  let start = 0;
  while (start < oracle.rows.length) {
    let end = start + 1;
    while (end < oracle.rows.length && oracle.ranks[end] === oracle.ranks[start]) end++;
    const expected = oracle.rows.slice(start, end).map(rowKey).sort();
    const actual = rows.slice(start, end).map(rowKey).sort();
    const missing = expected.find((r, i) => r !== actual[i]);
    if (missing !== undefined) {
      const index = expected.findIndex((r, i) => r !== actual[i]);
      return [
        `rows ${start}…${end - 1} differ: expected ${expected[index]}, got ${actual[index] ?? 'nothing'}`,
      ];
    }
    start = end;
  }
  return [];
}
