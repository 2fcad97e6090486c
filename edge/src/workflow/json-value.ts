import { jsonNumber } from './json-number.ts';
import { isDecimal, type ColumnType } from './types.ts';

/**
 * The one JSON form of a result value of each column type (ARCHITECTURE.md, "JSON forms"). Every analytics adapter
 * maps every cell through this with the column's normalized type, so the API answers the same JSON whichever engine
 * ran the query:
 *
 * | type | JSON form |
 * |---|---|
 * | string | string |
 * | boolean | `true` / `false` |
 * | int64 | number; a decimal string past ±2^53 |
 * | float64 | number (`"NaN"`, `"Infinity"`, `"-Infinity"` as strings) |
 * | decimal(p,s) | number when the double prints back to the same digits, else the exact decimal string |
 * | datetime | `"YYYY-MM-DD HH:MM:SS.mmm"` in UTC |
 * | date | `"YYYY-MM-DD"` |
 *
 * NULL is `null` for every type.
 */
export function jsonValue(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'int64' || isDecimal(type)) {
    if (typeof value === 'bigint') return jsonNumber(value.toString());
    return typeof value === 'string' ? jsonNumber(value) : value;
  }
  if (type === 'float64') {
    const number = typeof value === 'string' ? Number(value) : (value as number);
    // JSON has no NaN or infinities: they travel as the strings "NaN", "Infinity", "-Infinity".
    return Number.isFinite(number) ? number : String(number);
  }
  if (type === 'datetime') return canonicalDateTime(value);
  if (type === 'date') return canonicalDateTime(value).slice(0, 10);
  if (type === 'boolean') return typeof value === 'boolean' ? value : value === 1 || value === 'true';
  return value;
}

const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Engines print times in their own ways (`…:00`, `…:00.1`, `…T…Z`, `…+00`); all become `YYYY-MM-DD HH:MM:SS.mmm` UTC. */
function canonicalDateTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString().replace('T', ' ').slice(0, 23);
  const text = String(value);
  const m = DATE_TIME.exec(text);
  if (!m) return text;
  const [, day, clock = '00:00:00', fraction = '', zone] = m;
  const time = clock.length === 5 ? `${clock}:00` : clock;
  const local = `${day} ${time}.${(fraction + '000').slice(0, 3)}`;
  if (zone === undefined || /^(Z|[+-]00(:?00)?)$/.test(zone)) return local;
  const offset =
    zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const instant = new Date(`${local.replace(' ', 'T')}${offset}`);
  return Number.isNaN(instant.getTime()) ? text : instant.toISOString().replace('T', ' ').slice(0, 23);
}
