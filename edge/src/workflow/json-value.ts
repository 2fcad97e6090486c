import { jsonNumber } from './json-number.ts';
import { isDateTime, isDecimal, timeZoneOf, type ColumnType } from './types.ts';

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
 * | datetime, datetime(zone) | `"YYYY-MM-DD HH:MM:SS.mmm"` in UTC (the instant, whatever zone the store shows it in) |
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
  if (isDateTime(type)) return canonicalDateTime(value, timeZoneOf(type));
  if (type === 'date') return canonicalDateTime(value).slice(0, 10);
  if (type === 'boolean') return typeof value === 'boolean' ? value : value === 1 || value === 'true';
  return value;
}

const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Engines print times in their own ways (`…:00`, `…:00.1`, `…T…Z`, `…+00`); all become `YYYY-MM-DD HH:MM:SS.mmm` UTC.
 * A text without an offset is a wall clock in `timeZone` (ClickHouse prints a `DateTime64(3, 'zone')` so), else UTC.
 */
function canonicalDateTime(value: unknown, timeZone?: string): string {
  if (value instanceof Date) return value.toISOString().replace('T', ' ').slice(0, 23);
  const text = String(value);
  const m = DATE_TIME.exec(text);
  if (!m) return text;
  const [, day, clock = '00:00:00', fraction = '', zone] = m;
  const time = clock.length === 5 ? `${clock}:00` : clock;
  const local = `${day} ${time}.${(fraction + '000').slice(0, 3)}`;
  if (zone === undefined && timeZone !== undefined && timeZone !== 'UTC')
    return wallClockToUtc(local, timeZone);
  if (zone === undefined || /^(Z|[+-]00(:?00)?)$/.test(zone)) return local;
  const offset =
    zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const instant = new Date(`${local.replace(' ', 'T')}${offset}`);
  return Number.isNaN(instant.getTime()) ? text : instant.toISOString().replace('T', ' ').slice(0, 23);
}

/** The wall-clock fields (year … second, zero-padded) an IANA zone shows at an instant. */
export function wallClockParts(instant: Date | number, timeZone: string): Record<string, string> {
  return Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
}

/** The UTC instant of a wall-clock time in an IANA zone (the earlier instant when a clock change repeats it). */
function wallClockToUtc(local: string, timeZone: string): string {
  const asUtc = Date.parse(`${local.replace(' ', 'T')}Z`);
  if (Number.isNaN(asUtc)) return local;
  const offsetAt = (instant: number): number => {
    const parts = wallClockParts(instant, timeZone);
    const shown = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    return shown - (instant - (((instant % 1000) + 1000) % 1000));
  };
  // Two rounds settle the offset across a clock change.
  const first = asUtc - offsetAt(asUtc);
  const instant = asUtc - offsetAt(first);
  return new Date(instant).toISOString().replace('T', ' ').slice(0, 23);
}
