import { isNumeric, type ColumnType } from '@flowforge/edge/workflow';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** Result columns carry the engine's normalized type names as plain strings. */
export const isNumericType = (type: string): boolean => isNumeric(type as ColumnType);

/** Cell text for a value of a normalized column type; `null` is rendered by the grid, not here. */
export function formatCell(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  if (isNumericType(type)) {
    const n = typeof value === 'number' ? value : Number(value);
    // Big integers and decimals arrive as exact strings: never round them through a double for display.
    if (typeof value === 'string' && !Number.isSafeInteger(Math.trunc(n))) return value;
    if (!Number.isFinite(n)) return String(value);
    return type === 'int64' ? integer.format(n) : decimal.format(n);
  }
  if (type === 'datetime' && typeof value === 'string') return value.replace('T', ' ').replace(/Z$/, '');
  if (type === 'boolean') return value ? 'true' : 'false';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
