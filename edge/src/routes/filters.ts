import { z } from 'zod';

const isoDate = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
    'expected an ISO date or date-time',
  );
const symbol = z.string().min(1).max(32);

/** Date presets of the dashboard filter bar, kept relative so a saved "last 5 days" stays the last 5 days. */
export const DATE_RANGES = ['today', '5d', '1m', '6m'] as const;
const range = z.enum(DATE_RANGES);

/** Dashboard global filters (plan §15) as stored and as sent in JSON. */
export const globalFiltersSchema = z.object({
  range: range.optional(),
  date_from: isoDate.optional(),
  date_to: isoDate.optional(),
  symbols: z.array(symbol).min(1).max(500).optional(),
});

/** The same filters from a query string: `?date_from=…&date_to=…&symbols=AAPL,MSFT`. */
export const filtersQuery = z.object({
  range: range.optional(),
  date_from: isoDate.optional(),
  date_to: isoDate.optional(),
  symbols: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(symbol).min(1).max(500))
    .optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export type FiltersQuery = z.output<typeof filtersQuery>;

export const filtersOf = (q: FiltersQuery) => ({
  ...(q.range !== undefined ? { range: q.range } : {}),
  ...(q.date_from !== undefined ? { date_from: q.date_from } : {}),
  ...(q.date_to !== undefined ? { date_to: q.date_to } : {}),
  ...(q.symbols !== undefined ? { symbols: q.symbols } : {}),
});
