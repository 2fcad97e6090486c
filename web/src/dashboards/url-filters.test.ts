import { describe, expect, it } from 'vitest';
import { filtersFromSearch, filtersKey, filtersToSearch } from './url-filters.ts';

describe('filters in the URL', () => {
  it('reads nothing from a URL without filter parameters', () => {
    expect(filtersFromSearch(new URLSearchParams('x=1'))).toBeNull();
  });

  it('round-trips a range with symbols, and custom dates', () => {
    const ranged = { range: '5d' as const, symbols: ['AAPL', 'MSFT'] };
    expect(filtersToSearch(ranged).toString()).toBe('range=5d&symbols=AAPL%2CMSFT');
    expect(filtersFromSearch(filtersToSearch(ranged))).toEqual(ranged);
    const custom = { date_from: '2026-01-05', date_to: '2026-01-09' };
    expect(filtersFromSearch(filtersToSearch(custom))).toEqual(custom);
  });

  it('writes an empty filter set so the link still overrides saved filters', () => {
    const params = filtersToSearch({});
    expect(params.toString()).toBe('range=');
    expect(filtersFromSearch(params)).toEqual({});
  });

  it('ignores an unknown range and keys filter sets by content', () => {
    expect(filtersFromSearch(new URLSearchParams('range=forever'))).toEqual({});
    expect(filtersKey({ symbols: ['AAPL'] })).toBe(filtersKey({ symbols: ['AAPL'] }));
    expect(filtersKey({ symbols: ['AAPL'] })).not.toBe(filtersKey({ symbols: ['MSFT'] }));
  });
});
