import type { AggregateFunction, DateUnit, ScalarFunction } from '../ir.ts';
import { isDateTime, isDecimal, timeZoneOf, type ColumnType } from '../types.ts';

export const DIALECTS = ['clickhouse', 'postgres', 'duckdb'] as const;
export type DialectName = (typeof DIALECTS)[number];

/** The date/time functions whose argument types a dialect declares (`Dialect.dateArguments`). */
export const DATE_FUNCTIONS = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'DATE_TRUNC', 'DATE_DIFF'] as const;
export type DateFunction = (typeof DATE_FUNCTIONS)[number];

/** Argument kinds of the date/time functions: a date, a zone-less datetime, a datetime with a zone. */
export const TEMPORAL_KINDS = ['date', 'datetime', 'datetime(zone)'] as const;
export type TemporalKind = (typeof TEMPORAL_KINDS)[number];

export const temporalKind = (type: ColumnType): TemporalKind | undefined =>
  type === 'date' || type === 'datetime'
    ? type
    : timeZoneOf(type) !== undefined
      ? 'datetime(zone)'
      : undefined;

const isDateFunction = (fn: ScalarFunction): fn is DateFunction =>
  (DATE_FUNCTIONS as readonly string[]).includes(fn);

/**
 * Why `dialect` cannot run `fn` on these argument types (as the IR holds them, after the formula's own
 * conversions: HOUR and DATE_DIFF receive a date as a datetime at midnight), or undefined when it can. The one check
 * behind both `validate` (a node-level issue) and the printer (which refuses to print such a call).
 */
export function dateArgumentProblem(
  dialect: Dialect,
  fn: ScalarFunction,
  types: readonly ColumnType[],
): string | undefined {
  if (!isDateFunction(fn)) return undefined;
  const allowed = dialect.dateArguments[fn];
  const refused = types.map(temporalKind).find((kind) => kind !== undefined && !allowed.includes(kind));
  return refused && `${fn} cannot take a ${refused} on ${dialect.name} (it takes ${allowed.join(', ')})`;
}

const ANY_TEMPORAL = TEMPORAL_KINDS;
const DATETIMES = ['datetime', 'datetime(zone)'] as const;

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
  /**
   * `canonical` is `YYYY-MM-DD HH:MM:SS.mmm` (UTC) — digits and separators only, checked upstream. With `zone` the
   * literal is an instant of a `datetime(zone)` (PostgreSQL/DuckDB `TIMESTAMPTZ`), else a zone-less UTC timestamp.
   */
  dateTimeLiteral(canonical: string, zone?: string): string;
  dateLiteral(canonical: string): string;
  /** A float64 literal: PostgreSQL and DuckDB read `2.5` as an exact decimal, which would change result types. */
  floatLiteral(text: string): string;
  typeName(type: ColumnType): string;
  /** `sql` (of type `from` when known) converted to `type`; datetimes keep their instant across zones. */
  cast(sql: string, type: ColumnType, from?: ColumnType): string;
  call(fn: ScalarFunction, args: Arg[], unit: DateUnit | undefined): string;
  aggregate(fn: AggregateFunction, arg: Arg | null, result: ColumnType): string;
  ifThenElse(cond: string, then: string, otherwise: string): string;
  /** Division in float64 that yields NULL (not an error or infinity) for a zero divisor. */
  divide(left: Arg, right: Arg): string;
  /** int64 remainder with the dividend's sign, NULL (not an error) for a zero divisor. */
  modulo(left: Arg, right: Arg): string;
  /** A per-row number in [0, 1): a hash of the row's values when seeded (repeatable), random otherwise. */
  random(seed: number | null, over: Arg[]): string;
  like(arg: string, pattern: string, negated: boolean): string;
  /** How "one row per key" is spelled: DISTINCT ON (PostgreSQL, DuckDB) or LIMIT 1 BY (ClickHouse). */
  distinctOn: 'distinct-on' | 'limit-by';
  /** PostgreSQL sorts NULLs first on DESC; we want NULLs last everywhere so engines agree. */
  nullsLastOnDesc: boolean;
  /** A joined block names an output column `t2.k` when several joined tables have a `k`: every column gets `AS`. */
  qualifiedNamesInJoins: boolean;
  /** Comparisons and logic yield integers (ClickHouse's UInt8): computed boolean columns are converted on output. */
  integerPredicates: boolean;
  /**
   * The argument kinds each date/time function runs on here (see `dateArgumentProblem`): `validate` refuses a call
   * outside this table on the node that makes it, and the printer never prints one.
   */
  dateArguments: Readonly<Record<DateFunction, readonly TemporalKind[]>>;
  /** How UNION without ALL is spelled (ClickHouse needs the DISTINCT). */
  unionDistinct: string;
  /**
   * Settings a query needs by what it uses, printed once each in a `SETTINGS` line at its end (ClickHouse): outer
   * joins must give unmatched columns NULL, not defaults; `functions` names the setting a printed function needs.
   */
  settings: { outerJoin: string; functions: Partial<Record<ScalarFunction, string>> } | null;
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
  dateTimeLiteral: (canonical, zone) =>
    zone === undefined ? `TIMESTAMP '${canonical}'` : `TIMESTAMPTZ '${canonical}+00'`,
  dateLiteral: (canonical) => `DATE '${canonical}'`,
  floatLiteral(text) {
    return this.cast(text, 'float64');
  },
  typeName: (type) => {
    if (isDecimal(type)) return type.toUpperCase();
    if (timeZoneOf(type) !== undefined) return 'TIMESTAMPTZ';
    return {
      string: 'VARCHAR',
      int64: 'BIGINT',
      float64: 'DOUBLE',
      datetime: 'TIMESTAMP',
      date: 'DATE',
      boolean: 'BOOLEAN',
    }[type as 'string'];
  },
  cast(sql, type, from) {
    if (from === type) return sql;
    // TIMESTAMPTZ ↔ TIMESTAMP through UTC, never through the session's zone.
    const zoned = (t: ColumnType | undefined) => t !== undefined && timeZoneOf(t) !== undefined;
    if (zoned(type)) {
      if (zoned(from)) return sql;
      return `(${from === 'datetime' ? sql : `CAST(${sql} AS ${this.typeName('datetime')})`} AT TIME ZONE 'UTC')`;
    }
    if (type === 'datetime' && zoned(from)) return `(${sql} AT TIME ZONE 'UTC')`;
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
          : roundHalfAwayFromZero(first!.sql, args[1]!.sql, this);
      case 'CONCAT':
        return args.length === 1 ? `COALESCE(${sql[0]}, '')` : `CONCAT(${sql.join(', ')})`;
      case 'DATE_TRUNC':
        return `DATE_TRUNC('${unit}', ${this.cast(first!.sql, 'datetime', first!.type)})`;
      case 'YEAR':
      case 'MONTH':
      case 'DAY':
      case 'HOUR': {
        // Parts of a TIMESTAMPTZ are taken in UTC, not in the session's zone.
        const utc = isDateTime(first!.type) ? this.cast(first!.sql, 'datetime', first!.type) : first!.sql;
        return this.cast(`EXTRACT(${DATE_PARTS[fn]} FROM ${utc})`, 'int64');
      }
      case 'SQRT':
        return `CASE WHEN ${sql[0]} < 0 THEN NULL ELSE SQRT(${sql[0]}) END`;
      case 'LN':
        return `CASE WHEN ${sql[0]} <= 0 THEN NULL ELSE LN(${sql[0]}) END`;
      case 'POWER':
        return `CASE WHEN ${powerUndefined(sql[0]!, sql[1]!, 'FLOOR')} THEN NULL ELSE POWER(${sql[0]}, ${sql[1]}) END`;
      case 'REGEXP_MATCH':
        return `(${sql[0]} ~ ${sql[1]})`;
      case 'SUBSTRING':
        return `SUBSTR(${sql.join(', ')})`;
      case 'DATE_DIFF':
        return this.cast(
          `TRUNC((EXTRACT(EPOCH FROM ${sql[1]}) - EXTRACT(EPOCH FROM ${sql[0]})) / ${UNIT_SECONDS[unit!]})`,
          'int64',
        );
      case 'NOW':
        return `CAST(NOW() AT TIME ZONE 'UTC' AS ${this.typeName('datetime')})`;
      default:
        // ABS, EXP, GREATEST, LEAST (both skip NULLs), LOWER, UPPER, LENGTH, REPLACE, COALESCE: same name everywhere.
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
  modulo: (left, right) => `${left.sql} % NULLIF(${right.sql}, 0)`,
  random: () => 'random()',
  like: (arg, pattern, negated) => `${arg} ${negated ? 'NOT LIKE' : 'LIKE'} ${pattern}`,
  distinctOn: 'distinct-on',
  // EXTRACT(HOUR FROM date) fails on PostgreSQL: the formula language hands HOUR and DATE_DIFF a date as a datetime.
  dateArguments: {
    YEAR: ANY_TEMPORAL,
    MONTH: ANY_TEMPORAL,
    DAY: ANY_TEMPORAL,
    HOUR: DATETIMES,
    DATE_TRUNC: ANY_TEMPORAL,
    DATE_DIFF: DATETIMES,
  },
  unionDistinct: 'UNION',
  nullsLastOnDesc: false,
  integerPredicates: false,
  qualifiedNamesInJoins: false,
  settings: null,
};

/** Seconds per DATE_DIFF unit (only fixed-length units are allowed). */
export const UNIT_SECONDS: Partial<Record<DateUnit, number>> = {
  second: 1,
  minute: 60,
  hour: 3_600,
  day: 86_400,
  week: 604_800,
};

/**
 * ROUND of a float64, spelled in IEEE arithmetic that every engine and the oracle evaluate identically:
 * sign(x) · floor(|x| · 10^d + 0.5) / 10^d — half away from zero on the binary value (2.675 → 2.67, as 2.675 is
 * 2.67499999… in binary). Engines' own ROUND differ (banker's rounding, decimal conversion first).
 */
export function roundHalfAwayFromZero(x: string, digits: string, dialect: Dialect): string {
  const scale = dialect.floatLiteral(`1e${digits}`);
  // Lower case: ClickHouse's names are case-sensitive, PostgreSQL's and DuckDB's are not.
  return `sign(${x}) * floor(abs(${x}) * ${scale} + ${dialect.floatLiteral('0.5')}) / ${scale}`;
}

/** POWER is undefined for a negative base with a fractional exponent and for zero to a negative power. */
export const powerUndefined = (base: string, exponent: string, floor: string): string =>
  `(${base} < 0 AND ${exponent} <> ${floor}(${exponent})) OR (${base} = 0 AND ${exponent} < 0)`;

/** A seeded per-row hash reduced to [0, 1) with six digits of resolution. */
export const unitInterval = (hash: string): string => `(${hash} % 1000000) / 1000000.0`;
