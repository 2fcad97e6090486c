import { base, unitInterval, type Dialect } from './dialect.ts';

export const duckdb: Dialect = {
  ...base,
  name: 'duckdb',
  random(seed, over) {
    if (seed === null) return 'random()';
    return unitInterval(`hash(${[String(seed), ...over.map((a) => a.sql)].join(', ')})`);
  },
  // DuckDB's LIKE has no default escape character; PostgreSQL and ClickHouse use backslash, so say it explicitly.
  like: (arg, pattern, negated) => `${arg} ${negated ? 'NOT LIKE' : 'LIKE'} ${pattern} ESCAPE '\\'`,
};
