import { Scope } from './scope.ts';
import type { Column } from './types.ts';

/**
 * A node's output columns, in order: a plain array, or a `SharedColumns` that a formula step made from its input's by
 * adding one column. Engine code reads schemas only through this interface (never by index or `push`), so both
 * forms serve; `columnArray` makes a plain array where a schema leaves the engine (API answers, JSON).
 */
export interface Columns extends Iterable<Column> {
  readonly length: number;
  at(index: number): Column | undefined;
  find(predicate: (column: Column, index: number) => unknown): Column | undefined;
  findIndex(predicate: (column: Column, index: number) => unknown): number;
  some(predicate: (column: Column, index: number) => unknown): boolean;
  every(predicate: (column: Column, index: number) => unknown): boolean;
  filter(predicate: (column: Column, index: number) => unknown): Column[];
  map<T>(project: (column: Column, index: number) => T): T[];
}

/**
 * Column lookups by name and one-column extensions. A chain of formulas adds a column per node: copying the schema
 * at every node made the memory of a compile quadratic in the chain (500 nodes: 250 arrays averaging 130 columns,
 * garbage the collector copied on every young-generation pass), and scanning it made analysis quadratic in time.
 * Schemas of a few dozen columns are plain arrays, scanned and copied (cheaper than any index); from SHARED_FROM
 * columns on, a formula's output is a version of a `Scope` that every later step of the chain appends to in place.
 */
const SHARED_FROM = 32;
const indexes = new WeakMap<readonly Column[], Scope<Column>>();

function indexOf(columns: readonly Column[]): Scope<Column> {
  let index = indexes.get(columns);
  if (!index) {
    index = Scope.of(columns.map((c) => [c.name, c]));
    indexes.set(columns, index);
  }
  return index;
}

export function findColumn(columns: Columns, name: string): Column | undefined {
  if (columns instanceof SharedColumns) return columns.get(name);
  const array = columns as readonly Column[];
  return array.length < SHARED_FROM ? array.find((c) => c.name === name) : indexOf(array).get(name);
}

/** `columns` with `column` replacing the one of the same name in place, or appended. */
export function withColumn(columns: Columns, column: Column): Columns {
  if (columns instanceof SharedColumns) return new SharedColumns(columns.scope.set(column.name, column));
  const array = columns as readonly Column[];
  if (findColumn(array, column.name) !== undefined)
    return array.map((c) => (c.name === column.name ? column : c));
  if (array.length + 1 < SHARED_FROM) return [...array, column];
  return new SharedColumns(indexOf(array).set(column.name, column));
}

/** The columns as a plain array (the array itself when they are one). */
export const columnArray = (columns: Columns): Column[] =>
  columns instanceof SharedColumns ? [...columns] : (columns as Column[]);

/** Columns stored in a `Scope` shared with the schemas it was extended from and to; reads cost no copy. */
class SharedColumns implements Columns {
  constructor(readonly scope: Scope<Column>) {}

  get length(): number {
    return this.scope.size;
  }

  get(name: string): Column | undefined {
    return this.scope.get(name);
  }

  at(index: number): Column | undefined {
    return this.scope.at(index < 0 ? index + this.scope.size : index);
  }

  *[Symbol.iterator](): Iterator<Column> {
    for (let i = 0; i < this.scope.size; i++) yield this.scope.at(i)!;
  }

  find(predicate: (column: Column, index: number) => unknown): Column | undefined {
    const i = this.findIndex(predicate);
    return i < 0 ? undefined : this.scope.at(i);
  }

  findIndex(predicate: (column: Column, index: number) => unknown): number {
    for (let i = 0; i < this.scope.size; i++) if (predicate(this.scope.at(i)!, i)) return i;
    return -1;
  }

  some(predicate: (column: Column, index: number) => unknown): boolean {
    return this.findIndex(predicate) >= 0;
  }

  every(predicate: (column: Column, index: number) => unknown): boolean {
    return this.findIndex((c, i) => !predicate(c, i)) < 0;
  }

  filter(predicate: (column: Column, index: number) => unknown): Column[] {
    const kept: Column[] = [];
    for (let i = 0; i < this.scope.size; i++)
      if (predicate(this.scope.at(i)!, i)) kept.push(this.scope.at(i)!);
    return kept;
  }

  map<T>(project: (column: Column, index: number) => T): T[] {
    const out = new Array<T>(this.scope.size);
    for (let i = 0; i < this.scope.size; i++) out[i] = project(this.scope.at(i)!, i);
    return out;
  }

  /** JSON sees an array, as for a plain schema. */
  toJSON(): Column[] {
    return [...this];
  }
}
