import { jsonNumber } from '../json-number.ts';
import { isDecimal, type ColumnType } from '../types.ts';

/**
 * DuckDB's JSON rows carry 64-bit integers and decimals as exact strings: they follow the shared `jsonNumber` rule.
 * Non-finite floats have no JSON number form, so they print as strings.
 */
export function toJsonValue(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  if ((type === 'int64' || isDecimal(type)) && typeof value === 'string') return jsonNumber(value);
  if (type === 'float64' && typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
