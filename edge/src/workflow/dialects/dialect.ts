import type { AggregateFunction, DateUnit, ScalarFunction } from '../ir.ts';
import { isDecimal, type ColumnType } from '../types.ts';

export const DIALECTS = ['clickhouse', 'postgres', 'duckdb'] as const;
export type DialectName = (typeof DIALECTS)[number];

/** A printed argument with the IR type it had, for templates whose SQL depends on it (ROUND of a decimal…). */
export interface Arg {
  sql: string;
  type: ColumnType;
}

/**
 * What differs between SQL engines. `base` below is standard SQL as PostgreSQL and DuckDB speak it; each dialect
 * overrides what it does differently. The printer never emits engine-specific text except through this object.
 */
export interface Dialect {
  name: DialectName;
  quoteIdentifier(name: string): string;
  stringLiteral(value: string): string;
  /** `canonical` is `YYYY-MM-DD HH:MM:SS.mmm` (UTC) — digits and separators only, checked upstream. */
  dateTimeLiteral(canonical: string): string;
  dateLiteral(canonical: string): string;
  typeName(type: ColumnType): string;
  cast(sql: string, type: ColumnType): string;
  call(fn: ScalarFunction, args: Arg[], unit: DateUnit | undefined): string;
  aggregate(fn: AggregateFunction, arg: Arg | null, result: ColumnType): string;
  ifThenElse(cond: string, then: string, otherwise: string): string;
  /** Division in float64 that yields NULL (not an error or infinity) for a zero divisor. */
  divide(left: Arg, right: Arg): string;
  /** A per-row number in [0, 1): a hash of the row's values when seeded (repeatable), random otherwise. */
  random(seed: number | null, over: Arg[]): string;
  like(arg: string, pattern: string, negated: boolean): string;
  /** How "one row per key" is spelled: DISTINCT ON (PostgreSQL, DuckDB) or LIMIT 1 BY (ClickHouse). */
  distinctOn: 'distinct-on' | 'limit-by';
  /** PostgreSQL sorts NULLs first on DESC; we want NULLs last everywhere so engines agree. */
  nullsLastOnDesc: boolean;
  /** Clause appended to a query with outer joins, so unmatched columns are NULL (ClickHouse fills defaults). */
  outerJoinSettings: string | null;
}

const DATE_PARTS: Partial<Record<ScalarFunction, string>> = {
  YEAR: 'YEAR',
  MONTH: 'MONTH',
  DAY: 'DAY',
  HOUR: 'HOUR',
};

export const base: Dialect = {
  name: 'postgres',
  quoteIdentifier: (name) => `"${name.replaceAll('"', '""')}"`,
  stringLiteral: (value) => `'${value.replaceAll("'", "''")}'`,
  dateTimeLiteral: (canonical) => `TIMESTAMP '${canonical}'`,
  dateLiteral: (canonical) => `DATE '${canonical}'`,
  typeName: (type) => {
    if (isDecimal(type)) return type.toUpperCase();
    return {
      string: 'VARCHAR',
      int64: 'BIGINT',
      float64: 'DOUBLE',
      datetime: 'TIMESTAMP',
      date: 'DATE',
      boolean: 'BOOLEAN',
    }[type as 'string'];
  },
  cast(sql, type) {
    return `CAST(${sql} AS ${this.typeName(type)})`;
  },
  call(fn, args, unit) {
    const [first] = args;
    const sql = args.map((a) => a.sql);
    switch (fn) {
      case 'ROUND':
        if (first!.type === 'int64') return first!.sql;
        return isDecimal(first!.type)
          ? this.cast(`ROUND(${sql.join(', ')})`, 'float64')
          : `ROUND(${sql.join(', ')})`;
      case 'CONCAT':
        return args.length === 1 ? `COALESCE(${sql[0]}, '')` : `CONCAT(${sql.join(', ')})`;
      case 'DATE_TRUNC':
        return `DATE_TRUNC('${unit}', ${first!.type === 'date' ? this.cast(first!.sql, 'datetime') : first!.sql})`;
      case 'YEAR':
      case 'MONTH':
      case 'DAY':
      case 'HOUR':
        return this.cast(`EXTRACT(${DATE_PARTS[fn]} FROM ${first!.sql})`, 'int64');
      default:
        return `${fn}(${sql.join(', ')})`;
    }
  },
  aggregate(fn, arg, result) {
    const sql = arg?.sql ?? '*';
    switch (fn) {
      case 'count_distinct':
        return `COUNT(DISTINCT ${sql})`;
      case 'sum':
      case 'avg':
        // Engines widen differently (numeric, hugeint, decimal…); the contract's result type is explicit.
        return this.cast(`${fn.toUpperCase()}(${sql})`, result);
      default:
        return `${fn.toUpperCase()}(${sql})`;
    }
  },
  ifThenElse: (cond, then, otherwise) => `CASE WHEN ${cond} THEN ${then} ELSE ${otherwise} END`,
  divide(left, right) {
    return `${left.sql} / NULLIF(${right.sql}, 0)`;
  },
  random: () => 'random()',
  like: (arg, pattern, negated) => `${arg} ${negated ? 'NOT LIKE' : 'LIKE'} ${pattern}`,
  distinctOn: 'distinct-on',
  nullsLastOnDesc: false,
  outerJoinSettings: null,
};

/** A seeded per-row hash reduced to [0, 1) with six digits of resolution. */
export const unitInterval = (hash: string): string => `(${hash} % 1000000) / 1000000.0`;
