import { isDecimal, type ColumnType } from '../types.ts';

const MAX_SAFE_DIGITS = 15;

/**
 * DuckDB's JSON rows carry 64-bit integers and decimals as exact strings. They become JSON numbers when a double
 * holds them exactly (|n| ≤ 2^53 for integers, ≤ 15 significant digits for decimals) and stay strings otherwise.
 */
export function toJsonValue(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'int64' && typeof value === 'string') {
    const big = BigInt(value);
    return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(big)
      : value;
  }
  if (isDecimal(type) && typeof value === 'string')
    return significantDigits(value) <= MAX_SAFE_DIGITS ? Number(value) : value;
  if (type === 'float64' && typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

function significantDigits(decimal: string): number {
  const digits = decimal.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  return decimal.includes('.') ? digits.replace(/0+$/, '').length : digits.length;
}
