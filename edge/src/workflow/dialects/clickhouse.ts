import type { DateUnit, ScalarFunction } from '../ir.ts';
import { isDateTime, isDecimal, timeZoneOf, type ColumnType } from '../types.ts';
import {
  base,
  powerUndefined,
  roundHalfAwayFromZero,
  UNIT_SECONDS,
  unitInterval,
  type Dialect,
} from './dialect.ts';

/** ClickHouse string literals and quoted identifiers treat backslash as an escape, so it is escaped first. */
const escape = (text: string, quote: string): string =>
  // Most names need no escaping; printing quotes every identifier, so the common case skips the copies.
  !text.includes('\\') && !text.includes(quote)
    ? text
    : text.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`);

/**
 * Truncations of a DateTime64 in UTC, as zone-less DateTime64(3) (the session's zone, which every adapter pins to UTC).
 * toStartOfDay/Hour/Minute round toward 1970 for instants before it (1969-12-31 23:59:59.999 → 1970-01-01), so those
 * are spelled as the day (a Date32) plus whole hours/minutes/seconds; the Date32 functions need the query's
 * `EXTENDED_DATES` setting to stay in Date32 range. `sql` is a DateTime64 in UTC.
 */
const startOfDay = (sql: string) => `toDateTime64(toDate32(${sql}), 3)`;
const TRUNCATE: Record<DateUnit, (sql: string) => string> = {
  second: (sql) =>
    `(${startOfDay(sql)} + toIntervalSecond(toHour(${sql}) * 3600 + toMinute(${sql}) * 60 + toSecond(${sql})))`,
  minute: (sql) => `(${startOfDay(sql)} + toIntervalMinute(toHour(${sql}) * 60 + toMinute(${sql})))`,
  hour: (sql) => `(${startOfDay(sql)} + toIntervalHour(toHour(${sql})))`,
  day: startOfDay,
  week: (sql) => `toDateTime64(toMonday(toDate32(${sql})), 3)`,
  month: (sql) => `toDateTime64(toStartOfMonth(toDate32(${sql})), 3)`,
  quarter: (sql) => `toDateTime64(toStartOfQuarter(toDate32(${sql})), 3)`,
  year: (sql) => `toDateTime64(toStartOfYear(toDate32(${sql})), 3)`,
};

/** Date functions return Date32/DateTime64 instead of clamping before 1970. */
const EXTENDED_DATES = 'enable_extended_results_for_datetime_functions = 1';

const NAMES: Partial<Record<ScalarFunction, string>> = {
  COALESCE: 'coalesce',
  LOWER: 'lowerUTF8',
  UPPER: 'upperUTF8',
  YEAR: 'toYear',
  MONTH: 'toMonth',
  DAY: 'toDayOfMonth',
  HOUR: 'toHour',
  EXP: 'exp',
  REPLACE: 'replaceAll',
  SUBSTRING: 'substringUTF8',
};

/** Conversion functions keep Nullable, unlike CAST (which fails on NULL unless cast_keep_nullable is set). */
const CONVERT: Record<string, string> = {
  string: 'toString',
  int64: 'toInt64',
  float64: 'toFloat64',
  boolean: 'toBool',
  date: 'toDate32',
};

export const clickhouse: Dialect = {
  ...base,
  name: 'clickhouse',
  quoteIdentifier: (name) => `\`${escape(name, '`')}\``,
  stringLiteral: (value) => `'${escape(value, "'")}'`,
  dateTimeLiteral(canonical, zone) {
    if (zone === undefined) return `toDateTime64('${canonical}', 3)`;
    const utc = `toDateTime64('${canonical}', 3, 'UTC')`;
    return zone === 'UTC' ? utc : `toTimeZone(${utc}, ${this.stringLiteral(zone)})`;
  },
  // Date32: ClickHouse's Date stops at 1970.
  dateLiteral: (canonical) => `toDate32('${canonical}')`,
  // ClickHouse reads 2.5 as Float64 already.
  floatLiteral: (text) => text,
  typeName(type: ColumnType) {
    const decimal = /^decimal\((\d+),(\d+)\)$/.exec(type);
    if (decimal) return `Decimal(${decimal[1]}, ${decimal[2]})`;
    const zone = timeZoneOf(type);
    if (zone !== undefined) return `DateTime64(3, ${this.stringLiteral(zone)})`;
    return {
      string: 'String',
      int64: 'Int64',
      float64: 'Float64',
      // Zone-less: the session's zone, pinned to UTC by every adapter.
      datetime: 'DateTime64(3)',
      date: 'Date32',
      boolean: 'Bool',
    }[type as 'string'];
  },
  cast(sql, type, from) {
    if (from === type) return sql;
    const convert = CONVERT[type];
    if (convert) return `${convert}(${sql})`;
    const zone = timeZoneOf(type);
    // A date is midnight UTC; a datetime keeps its instant and takes the new zone.
    if (zone !== undefined)
      return `toTimeZone(${from === 'date' ? `toDateTime64(${sql}, 3, 'UTC')` : sql}, ${this.stringLiteral(zone)})`;
    if (type === 'datetime')
      return from !== undefined && timeZoneOf(from) !== undefined
        ? `fromUnixTimestamp64Milli(toUnixTimestamp64Milli(${sql}))`
        : `toDateTime64(${sql}, 3)`;
    return `CAST(${sql} AS ${this.typeName(type)})`;
  },
  call(fn, args, unit) {
    const sql = args.map((a) => a.sql);
    const first = args[0]!;
    switch (fn) {
      case 'ROUND':
        if (first.type === 'int64') return first.sql;
        // Decimals round half away from zero (as elsewhere); floats would round half to even.
        return isDecimal(first.type)
          ? `toFloat64(round(${sql.join(', ')}))`
          : roundHalfAwayFromZero(first.sql, args[1]!.sql, this);
      case 'CONCAT': {
        // ClickHouse's concat returns NULL if any part is NULL; the contract treats NULL parts as empty.
        const parts = sql.map((s) => `ifNull(${s}, '')`);
        return parts.length === 1 ? parts[0]! : `concat(${parts.join(', ')})`;
      }
      case 'DATE_TRUNC':
        // In UTC whatever zone the column was declared with; a date becomes a datetime first.
        return TRUNCATE[unit!](
          first.type === 'date' ? `toDateTime64(${first.sql}, 3, 'UTC')` : `toTimeZone(${first.sql}, 'UTC')`,
        );
      case 'YEAR':
      case 'MONTH':
      case 'DAY':
      case 'HOUR':
        // Date parts of a datetime are UTC, whatever zone the column was declared with.
        return `${NAMES[fn]}(${first.sql}${isDateTime(first.type) ? ", 'UTC'" : ''})`;
      // `if` evaluates both branches; sqrt/log/pow of a bad argument are nan or -inf, never errors.
      case 'SQRT':
        return `if(${sql[0]} < 0, NULL, sqrt(${sql[0]}))`;
      case 'LN':
        return `if(${sql[0]} <= 0, NULL, log(${sql[0]}))`;
      case 'POWER':
        return `if(${powerUndefined(sql[0]!, sql[1]!, 'floor')}, NULL, pow(${sql[0]}, ${sql[1]}))`;
      case 'GREATEST':
      case 'LEAST': {
        // greatest/least return NULL when any argument is; the contract skips NULLs, so each argument falls back
        // to the others.
        const parts = sql.map((s, i) => `coalesce(${[s, ...sql.filter((_, j) => j !== i)].join(', ')})`);
        return `${fn.toLowerCase()}(${parts.join(', ')})`;
      }
      case 'REGEXP_MATCH':
        return `match(${sql[0]}, concat('(?s)', ${sql[1]}))`;
      case 'DATE_DIFF': {
        const millis = (s: string) => `toUnixTimestamp64Milli(toDateTime64(${s}, 3, 'UTC'))`;
        return `intDiv(${millis(sql[1]!)} - ${millis(sql[0]!)}, ${UNIT_SECONDS[unit!]! * 1000})`;
      }
      case 'NOW':
        return 'now64(3)';
      // lengthUTF8 and abs of an Int64 are UInt64, which meets no Int64 (see `aggregate`).
      case 'LENGTH':
        return `toInt64(lengthUTF8(${sql[0]}))`;
      case 'ABS':
        return first.type === 'int64' ? `toInt64(abs(${sql[0]}))` : `abs(${sql[0]})`;
      default:
        return `${NAMES[fn]}(${sql.join(', ')})`;
    }
  },
  aggregate(fn, arg, result) {
    const sql = arg?.sql ?? '';
    switch (fn) {
      // UInt64 has no common type with Int64 (COALESCE/LEAST/IF of a count and an int64 fail): counts are int64.
      case 'count':
        return `toInt64(count(${sql}))`;
      case 'count_distinct':
        return `toInt64(uniqExact(${sql}))`;
      // -OrNull: over no rows these return NULL as in SQL (plain ClickHouse sum() of nothing is 0).
      case 'sum':
      case 'avg':
        return this.cast(`${fn}OrNull(${sql})`, result);
      default:
        return `${fn}OrNull(${sql})`;
    }
  },
  ifThenElse: (cond, then, otherwise) => `if(${cond}, ${then}, ${otherwise})`,
  divide: (left, right) => `${left.sql} / nullIf(${right.sql}, 0)`,
  modulo: (left, right) => `${left.sql} % nullIf(${right.sql}, 0)`,
  random(seed, over) {
    if (seed === null) return 'randCanonical()';
    return unitInterval(`sipHash64(${seed}, tuple(${over.map((a) => a.sql).join(', ')}))`);
  },
  distinctOn: 'limit-by',
  unionDistinct: 'UNION DISTINCT',
  integerPredicates: true,
  qualifiedNamesInJoins: true,
  settings: {
    outerJoin: 'join_use_nulls = 1',
    functions: {
      ...Object.fromEntries(
        (['YEAR', 'MONTH', 'DAY', 'HOUR', 'DATE_TRUNC', 'DATE_DIFF'] as const).map((fn) => [
          fn,
          EXTENDED_DATES,
        ]),
      ),
      // ClickHouse 26.9's planner loops ("Too many optimizations applied to query plan", never an answer) when a
      // string length is selected and the ORDER BY is an expression over the same column (a seeded sample, a sort
      // by a formula): it keeps moving lengthUTF8 past the sort. Computing it before sorting costs one pass.
      LENGTH: 'query_plan_execute_functions_after_sorting = 0',
    },
  },
};
