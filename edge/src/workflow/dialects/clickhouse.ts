import type { DateUnit, ScalarFunction } from '../ir.ts';
import { isDecimal, type ColumnType } from '../types.ts';
import { base, unitInterval, type Dialect } from './dialect.ts';

/** ClickHouse string literals and quoted identifiers treat backslash as an escape, so it is escaped first. */
const escape = (text: string, quote: string): string =>
  text.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`);

const TRUNCATE: Record<DateUnit, (sql: string) => string> = {
  second: (sql) => `toStartOfInterval(${sql}, INTERVAL 1 SECOND)`,
  minute: (sql) => `toStartOfMinute(${sql})`,
  hour: (sql) => `toStartOfHour(${sql})`,
  day: (sql) => `toStartOfDay(${sql})`,
  week: (sql) => `toMonday(${sql})`,
  month: (sql) => `toStartOfMonth(${sql})`,
  quarter: (sql) => `toStartOfQuarter(${sql})`,
  year: (sql) => `toStartOfYear(${sql})`,
};

const NAMES: Partial<Record<ScalarFunction, string>> = {
  ABS: 'abs',
  COALESCE: 'coalesce',
  LOWER: 'lowerUTF8',
  UPPER: 'upperUTF8',
  LENGTH: 'lengthUTF8',
  YEAR: 'toYear',
  MONTH: 'toMonth',
  DAY: 'toDayOfMonth',
  HOUR: 'toHour',
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
  dateTimeLiteral: (canonical) => `toDateTime64('${canonical}', 3, 'UTC')`,
  // Date32: ClickHouse's Date stops at 1970.
  dateLiteral: (canonical) => `toDate32('${canonical}')`,
  typeName(type: ColumnType) {
    const decimal = /^decimal\((\d+),(\d+)\)$/.exec(type);
    if (decimal) return `Decimal(${decimal[1]}, ${decimal[2]})`;
    return {
      string: 'String',
      int64: 'Int64',
      float64: 'Float64',
      datetime: "DateTime64(3, 'UTC')",
      date: 'Date32',
      boolean: 'Bool',
    }[type as 'string'];
  },
  cast(sql, type) {
    const convert = CONVERT[type];
    if (convert) return `${convert}(${sql})`;
    if (type === 'datetime') return `toDateTime64(${sql}, 3, 'UTC')`;
    return `CAST(${sql} AS ${this.typeName(type)})`;
  },
  call(fn, args, unit) {
    const sql = args.map((a) => a.sql);
    const first = args[0]!;
    switch (fn) {
      case 'ROUND':
        if (first.type === 'int64') return first.sql;
        // Decimals round half away from zero (as elsewhere); floats would round half to even.
        return isDecimal(first.type) ? `toFloat64(round(${sql.join(', ')}))` : `round(${sql.join(', ')})`;
      case 'CONCAT': {
        // ClickHouse's concat returns NULL if any part is NULL; the contract treats NULL parts as empty.
        const parts = sql.map((s) => `ifNull(${s}, '')`);
        return parts.length === 1 ? parts[0]! : `concat(${parts.join(', ')})`;
      }
      case 'DATE_TRUNC':
        return TRUNCATE[unit!](first.sql);
      default:
        return `${NAMES[fn]}(${sql.join(', ')})`;
    }
  },
  aggregate(fn, arg, result) {
    const sql = arg?.sql ?? '';
    switch (fn) {
      case 'count':
        return `count(${sql})`;
      case 'count_distinct':
        return `uniqExact(${sql})`;
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
  random(seed, over) {
    if (seed === null) return 'randCanonical()';
    return unitInterval(`sipHash64(${seed}, tuple(${over.map((a) => a.sql).join(', ')}))`);
  },
  distinctOn: 'limit-by',
  outerJoinSettings: 'SETTINGS join_use_nulls = 1',
};
