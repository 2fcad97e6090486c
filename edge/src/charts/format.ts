// The column types alone: the engine's entry would bring its compiler and zod into every chart bundle (the embed page).
import { isDateTime, isNumeric, isTemporal, type ColumnType } from '../workflow/types.ts';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

/** Result columns carry the engine's normalized type names as plain strings. */
export const isNumericType = (type: string): boolean => isNumeric(type as ColumnType);
export const isTimeType = (type: string): boolean => isTemporal(type as ColumnType);

/** Full timestamp text (UTC, as the engine returns it): what grids and chart tooltips show. */
export const formatTimestamp = (value: string): string => value.replace('T', ' ').replace(/Z$/, '');

const fixed = new Map<number, Intl.NumberFormat>();
const fixedDigits = (digits: number) => {
  let format = fixed.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    fixed.set(digits, format);
  }
  return format;
};

function fractionDigits(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  if (/e/i.test(text)) return 6;
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/**
 * The decimals a grid column shows on every row, so the digits line up: as many as its most precise value needs,
 * at least 2 and at most 6 (or the column's decimal scale). `undefined` for columns that are not fractional numbers.
 */
export function columnFractionDigits(values: Iterable<unknown>, type: string): number | undefined {
  if (!isNumericType(type) || type === 'int64') return undefined;
  const scale = /^decimal\(\d+,\s*(\d+)\)$/.exec(type)?.[1];
  const most = Math.min(6, scale === undefined ? 6 : Number(scale));
  let digits = Math.min(2, most);
  for (const v of values) digits = Math.max(digits, Math.min(most, fractionDigits(v)));
  return digits;
}

/**
 * Cell text for a value of a normalized column type; `null` is rendered by the grid, not here. `digits`: the
 * column's fraction digits (from `columnFractionDigits`), for the same decimals on every row.
 */
export function formatCell(value: unknown, type: string, digits?: number): string {
  if (value === null || value === undefined) return '';
  if (isNumericType(type)) {
    const n = typeof value === 'number' ? value : Number(value);
    // Big integers and decimals arrive as exact strings: never round them through a double for display.
    if (typeof value === 'string' && !Number.isSafeInteger(Math.trunc(n))) return value;
    if (!Number.isFinite(n)) return String(value);
    if (type === 'int64') return integer.format(n);
    return digits === undefined ? decimal.format(n) : fixedDigits(digits).format(n);
  }
  if (isDateTime(type as ColumnType) && typeof value === 'string') return formatTimestamp(value);
  if (type === 'boolean') return value ? 'true' : 'false';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A number of rows, written like the grid's integers. */
export const formatCount = (n: number): string => integer.format(n);

/**
 * How many rows a preview shows out of the whole result: "100 of 655,000 rows", "42 rows" when it shows them all,
 * "first 100 rows" when the store could not count them (`total` null, or absent in an answer cached before totals).
 */
export function shownOfTotal(shown: number, total: number | null | undefined, truncated: boolean): string {
  if (total !== null && total !== undefined && total > shown)
    return `${formatCount(shown)} of ${formatCount(total)} rows`;
  return truncated && total == null ? `first ${formatCount(shown)} rows` : `${formatCount(shown)} rows`;
}

/** A table page's range: "rows 51–100 of 655,000" (without " of …" when the total is unknown). */
export function pageRange(first: number, last: number, total: number | null | undefined): string {
  const range = `rows ${formatCount(first)}–${formatCount(last)}`;
  return total === null || total === undefined ? range : `${range} of ${formatCount(total)}`;
}

/** Axis labels: short numbers (1.2M), the grid and tooltips keep the exact ones. */
export const formatAxisNumber = (value: number): string => compact.format(value);

/** "as of HH:MM:SS" in the viewer's clock, from the API's ISO time of the engine run. */
export function formatAsOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString('en-GB', { hour12: false });
}
