import { describe, expect, it } from 'vitest';
import { applyLockedFilters } from './locked-filters.ts';

describe('applyLockedFilters', () => {
  const lock = { symbols: ['AAPL', 'MSFT'], date_from: '2026-01-05', date_to: '2026-01-06T23:59:59' };

  it('keeps the lock when the request says nothing', () => {
    expect(applyLockedFilters(lock, {})).toEqual(lock);
  });

  it('lets the request narrow', () => {
    expect(
      applyLockedFilters(lock, {
        symbols: ['AAPL'],
        date_from: '2026-01-06',
        date_to: '2026-01-06T12:00:00',
      }),
    ).toEqual({
      symbols: ['AAPL'],
      date_from: '2026-01-06',
      date_to: '2026-01-06T12:00:00',
    });
  });

  it.each([
    [{ symbols: ['AAPL', 'TSLA'] }, /symbols/],
    [{ date_from: '2026-01-01' }, /date_from/],
    [{ date_to: '2026-02-01' }, /date_to/],
  ])('refuses to widen %j', (requested, message) => {
    expect(() => applyLockedFilters(lock, requested)).toThrow(message);
  });

  it('leaves unlocked filters to the request', () => {
    expect(applyLockedFilters({}, { symbols: ['TSLA'] })).toEqual({ symbols: ['TSLA'] });
  });
});
