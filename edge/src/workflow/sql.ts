import type { Expr, JoinType, NamedExpr, SortKey } from './ir.ts';

/**
 * SQL blocks: the output of merging. One `SelectBlock` is one SELECT; expressions are IR expressions whose column
 * references are qualified by the FROM alias they read (`col.table`).
 */
export type FromItem =
  | { kind: 'table'; database: string; table: string; alias: string }
  | { kind: 'query'; query: Query; alias: string };

export interface JoinClause {
  joinType: JoinType;
  source: FromItem;
  on: Expr[];
}

export interface SelectBlock {
  kind: 'select';
  from: FromItem;
  joins: JoinClause[];
  where: Expr[];
  /** null: not aggregated; []: aggregated without keys (one row). */
  groupBy: Expr[] | null;
  having: Expr[];
  columns: NamedExpr[];
  distinct: boolean;
  /** One row per key (DISTINCT ON / LIMIT 1 BY); `orderBy` starts with these keys. */
  distinctOn: Expr[] | null;
  orderBy: SortKey[];
  limit: number | null;
  offset: number;
}

export interface UnionQuery {
  kind: 'union';
  all: boolean;
  parts: Query[];
}

export type Query = SelectBlock | UnionQuery;
