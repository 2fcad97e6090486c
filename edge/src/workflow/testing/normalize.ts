import { isNumeric, type ColumnType } from '../types.ts';

/**
 * Brings a value from any engine's client to one comparable form: numbers rounded to 9 significant digits (engines
 * sum floats in different orders), datetimes as ISO with milliseconds, dates as YYYY-MM-DD.
 */
export function normalizeValue(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  if (isNumeric(type)) {
    const number = Number(value);
    return number === 0 ? 0 : Number(number.toPrecision(9));
  }
  if (type === 'datetime') return isoDateTime(value);
  if (type === 'date') return isoDateTime(value).slice(0, 10);
  if (type === 'boolean') return value === true || value === 1 || value === 'true';
  return String(value);
}

function isoDateTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 23);
  const text = String(value);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?)?/.exec(text);
  if (!m) throw new Error(`not a date-time: ${text}`);
  return `${m[1]}T${m[2] ?? '00:00:00'}.${((m[3] ?? '') + '000').slice(0, 3)}`;
}

export const normalizeRows = (rows: readonly unknown[][], types: readonly ColumnType[]): unknown[][] =>
  rows.map((row) => row.map((v, i) => normalizeValue(v, types[i]!)));

/** Rows in a canonical order, for comparing results of queries without a total ORDER BY. */
export const sortRows = (rows: readonly unknown[][]): unknown[][] =>
  [...rows].sort((a, b) =>
    JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0,
  );
