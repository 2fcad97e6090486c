import type { Columns } from './columns.ts';
import { commonType, isTemporal, timeZoneOf, type Column, type ColumnType } from './types.ts';

/**
 * Relational IR. Every relation carries its output schema; expressions reference the columns of the relation's input
 * by name (`col`). Names are unique within a schema (propagation guarantees it), so a name is an id here; the merge
 * stage turns those references into qualified SQL references and inlines computed columns.
 */
export type Literal = string | number | boolean | null;

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

export type ScalarFunction =
  | 'ROUND'
  | 'ABS'
  | 'COALESCE'
  | 'LOWER'
  | 'UPPER'
  | 'CONCAT'
  | 'LENGTH'
  | 'YEAR'
  | 'MONTH'
  | 'DAY'
  | 'HOUR'
  | 'DATE_TRUNC'
  | 'SQRT'
  | 'LN'
  | 'EXP'
  | 'POWER'
  | 'GREATEST'
  | 'LEAST'
  | 'REGEXP_MATCH'
  | 'SUBSTRING'
  | 'REPLACE'
  | 'DATE_DIFF'
  | 'NOW';

export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'count_distinct';

export type DateUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export type Expr =
  | { kind: 'col'; name: string; type: ColumnType; table?: string }
  | { kind: 'lit'; value: Literal; type: ColumnType }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; type: ColumnType }
  | { kind: 'not'; arg: Expr; type: 'boolean' }
  | { kind: 'neg'; arg: Expr; type: ColumnType }
  /** A widening conversion (int64/decimal → float64, date → datetime): union columns, mixed function arguments. */
  | { kind: 'cast'; arg: Expr; type: ColumnType }
  | { kind: 'isNull'; arg: Expr; negated: boolean; type: 'boolean' }
  | { kind: 'in'; arg: Expr; values: Expr[]; negated: boolean; type: 'boolean' }
  | { kind: 'between'; arg: Expr; low: Expr; high: Expr; type: 'boolean' }
  | { kind: 'like'; arg: Expr; pattern: Expr; negated: boolean; type: 'boolean' }
  | { kind: 'if'; cond: Expr; then: Expr; else: Expr; type: ColumnType }
  | { kind: 'call'; fn: ScalarFunction; args: Expr[]; unit?: DateUnit; type: ColumnType }
  | { kind: 'agg'; fn: AggregateFunction; arg: Expr | null; type: ColumnType }
  /** A deterministic pseudo-random number in [0, 1) per row (seeded) or a random one (unseeded); used by sample. */
  | { kind: 'random'; seed: number | null; over: Expr[]; type: 'float64' };

export interface NamedExpr {
  name: string;
  expr: Expr;
}

export interface SortKey {
  expr: Expr;
  direction: 'ASC' | 'DESC';
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

export interface TableRef {
  database: string;
  table: string;
}

export type Rel =
  | { kind: 'scan'; table: TableRef; schema: Columns }
  | { kind: 'filter'; input: Rel; predicate: Expr; schema: Columns }
  | { kind: 'project'; input: Rel; columns: NamedExpr[]; schema: Columns }
  /**
   * One computed column (a formula): replaces the column named `name` in place, or is appended; every other column
   * passes through. Separate from `project` so a chain of formulas costs O(1) per step, not one entry per column.
   */
  | { kind: 'extend'; input: Rel; name: string; expr: Expr; schema: Columns }
  | { kind: 'aggregate'; input: Rel; groupBy: NamedExpr[]; aggregates: NamedExpr[]; schema: Columns }
  /** `columns` names each output column after the side it comes from (right-side clashes are renamed). */
  | {
      kind: 'join';
      left: Rel;
      right: Rel;
      joinType: JoinType;
      /** Column names on each side; rows match when every pair is equal. */
      keys: { left: string; right: string }[];
      columns: { name: string; side: 'left' | 'right'; source: string }[];
      schema: Columns;
    }
  | { kind: 'union'; inputs: Rel[]; all: boolean; schema: Columns }
  /** `on` absent: whole-row DISTINCT. Present: one row per key, the first in `order` (then the remaining columns). */
  | { kind: 'distinct'; input: Rel; on: string[] | null; schema: Columns }
  | { kind: 'sort'; input: Rel; keys: SortKey[]; schema: Columns }
  | { kind: 'limit'; input: Rel; limit: number | null; offset: number; schema: Columns }
  | {
      kind: 'sample';
      input: Rel;
      rows: number | null;
      percent: number | null;
      seed: number | null;
      schema: Columns;
    };

export const col = (column: Column): Expr => ({ kind: 'col', name: column.name, type: column.type });
export const lit = (value: Literal, type: ColumnType): Expr => ({ kind: 'lit', value, type });

/** `expr` converted to `type`, or itself when it already has it. */
export const castTo = (expr: Expr, type: ColumnType): Expr =>
  expr.type === type
    ? expr
    : expr.kind === 'lit' && expr.value === null
      ? { kind: 'lit', value: null, type }
      : { kind: 'cast', arg: expr, type };

/**
 * The operands of a comparison or join key. A zoned datetime meets a zone-less datetime or a date as an instant, cast
 * through UTC: left alone, PostgreSQL and DuckDB would convert the zone-less side with the session's zone.
 */
export function asComparable(left: Expr, right: Expr): [Expr, Expr] {
  if (left.type === right.type || !isTemporal(left.type) || !isTemporal(right.type)) return [left, right];
  if (timeZoneOf(left.type) === undefined && timeZoneOf(right.type) === undefined) return [left, right];
  const common = commonType(left.type, right.type)!;
  return [castTo(left, common), castTo(right, common)];
}

export const identityColumns = (schema: Columns): NamedExpr[] =>
  schema.map((c) => ({ name: c.name, expr: col(c) }));

/** Rewrites every column reference through `resolve` (inlining computed columns, qualifying references). */
export function substitute(expr: Expr, resolve: (name: string) => Expr): Expr {
  // One closure per call, not per visited node: merging substitutes every column of every step.
  const go = (e: Expr): Expr => {
    switch (e.kind) {
      case 'col':
        return resolve(e.name);
      case 'lit':
        return e;
      case 'binary':
        return { ...e, left: go(e.left), right: go(e.right) };
      case 'not':
      case 'neg':
      case 'cast':
      case 'isNull':
        return { ...e, arg: go(e.arg) };
      case 'in':
        return { ...e, arg: go(e.arg), values: e.values.map(go) };
      case 'between':
        return { ...e, arg: go(e.arg), low: go(e.low), high: go(e.high) };
      case 'like':
        return { ...e, arg: go(e.arg), pattern: go(e.pattern) };
      case 'if':
        return { ...e, cond: go(e.cond), then: go(e.then), else: go(e.else) };
      case 'call':
        return { ...e, args: e.args.map(go) };
      case 'agg':
        return { ...e, arg: e.arg && go(e.arg) };
      case 'random':
        return { ...e, over: e.over.map(go) };
    }
  };
  return go(expr);
}

/** Tree size of an expression (shared subtrees counted each time they print), counting stops past `limit`. */
export function exprSize(expr: Expr, limit: number): number {
  let size = 0;
  // Merging sizes every inlined column and condition: walking without a list per node keeps that allocation-free.
  const visit = (e: Expr): void => {
    if (size > limit) return;
    size++;
    switch (e.kind) {
      case 'col':
      case 'lit':
        return;
      case 'binary':
        visit(e.left);
        visit(e.right);
        return;
      case 'not':
      case 'neg':
      case 'cast':
      case 'isNull':
        visit(e.arg);
        return;
      default:
        children(e).forEach(visit);
    }
  };
  visit(expr);
  return size;
}

/** Direct sub-expressions, in print order. */
export function children(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'col':
    case 'lit':
      return [];
    case 'binary':
      return [expr.left, expr.right];
    case 'not':
    case 'neg':
    case 'cast':
    case 'isNull':
      return [expr.arg];
    case 'in':
      return [expr.arg, ...expr.values];
    case 'between':
      return [expr.arg, expr.low, expr.high];
    case 'like':
      return [expr.arg, expr.pattern];
    case 'if':
      return [expr.cond, expr.then, expr.else];
    case 'call':
      return expr.args;
    case 'agg':
      return expr.arg ? [expr.arg] : [];
    case 'random':
      return expr.over;
  }
}
