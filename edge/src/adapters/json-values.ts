/**
 * JSON-safe cell values, the same whatever the engine: 64-bit integers and decimals as numbers when that is exact,
 * otherwise as strings (the CLI and the canvas follow the same rule).
 */
export function jsonNumber(value: string): number | string {
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  if (/^-?\d+$/.test(value)) return Number.isSafeInteger(n) ? n : value;
  // A decimal survives as a number only when the double prints back to the same digits.
  const canonical = value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return String(n) === canonical ? n : value;
}

export function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return jsonNumber(value.toString());
  if (value instanceof Date) return value.toISOString();
  return value;
}
