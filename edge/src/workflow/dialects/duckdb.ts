import { base, UNIT_SECONDS, unitInterval, type Dialect } from './dialect.ts';

export const duckdb: Dialect = {
  ...base,
  name: 'duckdb',
  random(seed, over) {
    if (seed === null) return 'random()';
    return unitInterval(`hash(${[String(seed), ...over.map((a) => a.sql)].join(', ')})`);
  },
  call(fn, args, unit) {
    const sql = args.map((a) => a.sql);
    switch (fn) {
      // 's': `.` matches newlines, as in PostgreSQL's default regex flavour.
      case 'REGEXP_MATCH':
        return `regexp_matches(${sql[0]}, ${sql[1]}, 's')`;
      // Integer milliseconds: seconds as doubles would truncate 3599.9999999 to the wrong unit.
      case 'DATE_DIFF':
        return this.cast(
          `TRUNC((epoch_ms(${sql[1]}) - epoch_ms(${sql[0]})) / ${UNIT_SECONDS[unit!]! * 1000})`,
          'int64',
        );
      // The adapter pins the session to UTC, so the zone-less current time is UTC.
      case 'NOW':
        return this.cast('now()', 'datetime');
      default:
        return base.call.call(this, fn, args, unit);
    }
  },
  // DuckDB's LIKE has no default escape character; PostgreSQL and ClickHouse use backslash, so say it explicitly.
  like: (arg, pattern, negated) => `${arg} ${negated ? 'NOT LIKE' : 'LIKE'} ${pattern} ESCAPE '\\'`,
};
