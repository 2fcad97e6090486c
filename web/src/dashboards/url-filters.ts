import type { GlobalFilters } from '@flowforge/edge/api-types';

export type DateRange = NonNullable<GlobalFilters['range']>;
export const DATE_PRESETS: { range: DateRange; label: string }[] = [
  { range: 'today', label: 'Today' },
  { range: '5d', label: '5 D' },
  { range: '1m', label: '1 M' },
  { range: '6m', label: '6 M' },
];
const RANGES = new Set<string>(DATE_PRESETS.map((p) => p.range));
const KEYS = ['range', 'date_from', 'date_to', 'symbols'] as const;

/**
 * The filters a shared link carries (`?symbols=AAPL,MSFT&range=5d`), or null when the URL names none: the
 * dashboard's saved filters apply then.
 */
export function filtersFromSearch(params: URLSearchParams): GlobalFilters | null {
  if (!KEYS.some((k) => params.has(k))) return null;
  const out: GlobalFilters = {};
  const range = params.get('range');
  if (range && RANGES.has(range)) out.range = range as DateRange;
  const from = params.get('date_from');
  const to = params.get('date_to');
  if (!out.range && from) out.date_from = from;
  if (!out.range && to) out.date_to = to;
  const symbols = (params.get('symbols') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (symbols.length > 0) out.symbols = symbols;
  return out;
}

/** The URL form of the filters; an empty filter set still writes `range=` so the link overrides saved filters. */
export function filtersToSearch(filters: GlobalFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.range) params.set('range', filters.range);
  if (filters.date_from) params.set('date_from', filters.date_from);
  if (filters.date_to) params.set('date_to', filters.date_to);
  if (filters.symbols?.length) params.set('symbols', filters.symbols.join(','));
  if ([...params.keys()].length === 0) params.set('range', '');
  return params;
}

/** A stable text of a filter set, for query keys and comparisons. */
export const filtersKey = (filters: GlobalFilters): string =>
  JSON.stringify([
    filters.range ?? '',
    filters.date_from ?? '',
    filters.date_to ?? '',
    filters.symbols ?? [],
  ]);
