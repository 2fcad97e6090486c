// The column types alone: the engine's entry would bring its compiler and zod into every chart bundle (the embed page).
import { isNumeric, type ColumnType } from '@flowforge/edge/workflow/types';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

/** Result columns carry the engine's normalized type names as plain strings. */
export const isNumericType = (type: string): boolean => isNumeric(type as ColumnType);
export const isTimeType = (type: string): boolean => type === 'datetime' || type === 'date';

/** Full timestamp text (UTC, as the engine returns it): what grids and chart tooltips show. */
export const formatTimestamp = (value: string): string => value.replace('T', ' ').replace(/Z$/, '');

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
  if (type === 'datetime' && typeof value === 'string') return formatTimestamp(value);
  if (type === 'boolean') return value ? 'true' : 'false';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Axis labels: short numbers (1.2M), the grid and tooltips keep the exact ones. */
export const formatAxisNumber = (value: number): string => compact.format(value);

/** "as of HH:MM:SS" in the viewer's clock, from the API's ISO time of the engine run. */
export function formatAsOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString('en-GB', { hour12: false });
}
