/**
 * JSON-safe numbers, one rule for every engine, the API and the CLI: 64-bit integers and decimals arrive as exact
 * strings and become JSON numbers only when that is lossless, otherwise they stay strings.
 */
export function jsonNumber(value: string): number | string {
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  if (/^-?\d+$/.test(value)) return Number.isSafeInteger(n) ? n : value;
  // A decimal survives as a number only when the double prints back to the same digits.
  const canonical = value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return String(n) === canonical ? n : value;
}
