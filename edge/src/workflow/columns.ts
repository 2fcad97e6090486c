import { Scope } from './scope.ts';
import type { Column } from './types.ts';

/**
 * Column lookups by name. A chain of formulas adds a column per node, and scanning the schema at every node (the
 * formula's references, a filter's column, the new name) made analysing a long chain quadratic. Schemas of a few
 * dozen columns are scanned (cheaper than any index); larger ones get a name index per schema array, which a schema
 * extended by `withColumn` derives from its input's in O(1).
 */
const SCAN_BELOW = 32;
const indexes = new WeakMap<readonly Column[], Scope<Column>>();

function indexOf(columns: readonly Column[]): Scope<Column> {
  let index = indexes.get(columns);
  if (!index) {
    index = Scope.of(columns.map((c) => [c.name, c]));
    indexes.set(columns, index);
  }
  return index;
}

export function findColumn(columns: readonly Column[], name: string): Column | undefined {
  return columns.length < SCAN_BELOW ? columns.find((c) => c.name === name) : indexOf(columns).get(name);
}

/** `columns` with `column` replacing the one of the same name in place, or appended. */
export function withColumn(columns: readonly Column[], column: Column): Column[] {
  if (findColumn(columns, column.name) !== undefined)
    return columns.map((c) => (c.name === column.name ? column : c));
  const extended = [...columns, column];
  if (extended.length >= SCAN_BELOW) indexes.set(extended, indexOf(columns).set(column.name, column));
  return extended;
}
