import { timeZoneOf, type ColumnType } from '../types.ts';
import { base, unitInterval, type Dialect } from './dialect.ts';

/** PostgreSQL and Materialize (which speaks PostgreSQL's SQL). */
export const postgres: Dialect = {
  ...base,
  name: 'postgres',
  // E'' strings mean the same whatever standard_conforming_strings says, so a backslash can never end a literal.
  stringLiteral: (value) =>
    value.includes('\\')
      ? `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
      : `'${value.replaceAll("'", "''")}'`,
  typeName(type: ColumnType) {
    if (type === 'string') return 'TEXT';
    if (type === 'float64') return 'DOUBLE PRECISION';
    if (type === 'datetime') return 'TIMESTAMP(3)';
    if (timeZoneOf(type) !== undefined) return 'TIMESTAMPTZ(3)';
    return base.typeName(type);
  },
  divide: (left, right) => `CAST(${left.sql} AS DOUBLE PRECISION) / NULLIF(${right.sql}, 0)`,
  random(seed, over) {
    if (seed === null) return 'random()';
    return unitInterval(
      `abs(hashtextextended(CAST(ROW(${over.map((a) => a.sql).join(', ')}) AS TEXT), ${seed}))`,
    );
  },
  nullsLastOnDesc: true,
};
