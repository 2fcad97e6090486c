import type { Expr } from './ir.ts';
import { isDateTime, isNumeric, type ColumnType } from './types.ts';

/**
 * User-supplied values become typed literals here, checked against the column they meet. The dialect printer escapes
 * them; nothing else turns user text into SQL.
 */
export type Coerced =
  { ok: true; expr: Expr } | { ok: false; code: 'TYPE_MISMATCH' | 'INVALID_VALUE'; message: string };

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NUMERIC_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function coerceValue(value: unknown, type: ColumnType): Coerced {
  if (type === 'string') {
    return typeof value === 'string'
      ? checkText(value)
      : fail(`expected a string, got ${describeValue(value)}`);
  }
  if (type === 'boolean')
    return typeof value === 'boolean'
      ? ok({ kind: 'lit', value, type })
      : fail(`expected true or false, got ${describeValue(value)}`);
  if (isNumeric(type)) return coerceNumber(value);
  if (typeof value !== 'string') return fail(`expected an ISO ${type} string, got ${describeValue(value)}`);
  const iso = parseIsoDateTime(value);
  if (iso === undefined)
    return fail(
      `${describeValue(value)} is not an ISO ${type === 'date' ? 'date (YYYY-MM-DD)' : 'date-time (YYYY-MM-DDTHH:MM:SS)'}`,
      'INVALID_VALUE',
    );
  return ok({ kind: 'lit', value: type === 'date' ? iso.slice(0, 10) : iso, type });
}

/**
 * Canonical `YYYY-MM-DD HH:MM:SS.mmm` in UTC, or undefined. Offsets are converted to UTC; values are checked to be
 * real calendar instants, so the printed literal only ever contains digits and separators.
 */
export function parseIsoDateTime(text: string): string | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const ms = (frac + '000').slice(0, 3);
  const offset = zone === undefined || zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
  if (Number.isNaN(date.getTime())) return undefined;
  if (offset === 'Z' && date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return undefined;
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date-only value bounding a datetime from above covers its whole UTC day: bounds are half-open
 * `[from, to + 1 day)`, so `<= '2026-01-05'` is `< '2026-01-06 00:00'` and `> '2026-01-05'` is `>= '2026-01-06'`.
 * Returns the next day's canonical instant, or undefined when the rule does not apply.
 */
export function nextDayBound(value: unknown, type: ColumnType): string | undefined {
  if (!isDateTime(type) || typeof value !== 'string' || !DATE_ONLY.test(value)) return undefined;
  const day = parseIsoDateTime(value);
  if (day === undefined) return undefined;
  return new Date(Date.parse(`${day.replace(' ', 'T')}Z`) + 86_400_000)
    .toISOString()
    .replace('T', ' ')
    .replace('Z', '');
}

function coerceNumber(value: unknown): Coerced {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && NUMERIC_TEXT.test(value.trim())
        ? Number(value)
        : NaN;
  if (!Number.isFinite(number)) return fail(`expected a finite number, got ${describeValue(value)}`);
  return ok({ kind: 'lit', value: number, type: Number.isInteger(number) ? 'int64' : 'float64' });
}

/** NUL and lone surrogates cannot travel to every store (PostgreSQL rejects NUL in text): refuse them up front. */
export function checkText(value: string): Coerced {
  if (value.includes('\u0000')) return fail('text values cannot contain the NUL character', 'INVALID_VALUE');
  if (LONE_SURROGATE.test(value))
    return fail('text values must be valid Unicode (found a lone surrogate)', 'INVALID_VALUE');
  return ok({ kind: 'lit', value, type: 'string' });
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}

const ok = (expr: Expr): Coerced => ({ ok: true, expr });
/** A value of the wrong kind is a type mismatch; a malformed one (bad date, NUL byte) is an invalid value. */
const fail = (message: string, code: 'TYPE_MISMATCH' | 'INVALID_VALUE' = 'TYPE_MISMATCH'): Coerced => ({
  ok: false,
  code,
  message,
});
