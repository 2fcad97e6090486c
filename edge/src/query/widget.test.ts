import { describe, expect, it } from 'vitest';
import { mergeFilters, resolveRange } from './widget.ts';

describe('resolveRange', () => {
  const now = new Date('2026-03-10T15:30:00Z');
  it('turns a relative range into a UTC-midnight date_from', () => {
    expect(resolveRange({ range: 'today', symbols: ['AAPL'] }, now)).toEqual({
      date_from: '2026-03-10',
      symbols: ['AAPL'],
    });
    expect(resolveRange({ range: '5d' }, now)).toEqual({ date_from: '2026-03-05' });
    expect(resolveRange({ range: '1m' }, now)).toEqual({ date_from: '2026-02-08' });
    expect(resolveRange({ range: '6m' }, now)).toEqual({ date_from: '2025-09-09' });
  });
  it('leaves explicit dates alone', () => {
    const filters = { date_from: '2026-01-01', date_to: '2026-01-31' };
    expect(resolveRange(filters, now)).toBe(filters);
  });
});

describe('mergeFilters', () => {
  it('lets a requested range replace saved dates and requested dates replace a saved range', () => {
    expect(mergeFilters({ date_from: '2026-01-01', date_to: '2026-01-02' }, { range: '5d' })).toEqual({
      range: '5d',
    });
    expect(mergeFilters({ range: '5d', symbols: ['MSFT'] }, { date_from: '2026-01-01' })).toEqual({
      date_from: '2026-01-01',
      symbols: ['MSFT'],
    });
  });
});
