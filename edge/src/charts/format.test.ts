import { describe, expect, it } from 'vitest';
import { columnFractionDigits, formatCell, formatCount, pageRange, shownOfTotal } from './format.ts';

describe('grid number formats', () => {
  it('gives a column the decimals of its most precise value, within 2 and its scale (at most 6)', () => {
    expect(columnFractionDigits([184.98, 184.985, 185], 'decimal(18,6)')).toBe(3);
    expect(columnFractionDigits([1.5, 2], 'float64')).toBe(2);
    expect(columnFractionDigits([0.123456789], 'float64')).toBe(6);
    expect(columnFractionDigits(['10.1234'], 'decimal(18,4)')).toBe(4);
    expect(columnFractionDigits([1.123], 'decimal(10,1)')).toBe(1);
    expect(columnFractionDigits([1, 2], 'int64')).toBeUndefined();
    expect(columnFractionDigits(['AAPL'], 'string')).toBeUndefined();
  });

  it('prints every value of a column with those decimals', () => {
    expect([184.98, 184.985, 1185].map((v) => formatCell(v, 'decimal(18,6)', 3))).toEqual([
      '184.980',
      '184.985',
      '1,185.000',
    ]);
  });

  it('keeps timestamps whole, milliseconds included', () => {
    expect(formatCell('2026-06-01T14:30:00.080Z', 'datetime')).toBe('2026-06-01 14:30:00.080');
  });
});

describe('row totals', () => {
  it('says how many rows of the whole result a preview shows, with the grid’s integer format', () => {
    expect(shownOfTotal(100, 655_341, true)).toBe('100 of 655,341 rows');
    expect(shownOfTotal(42, 42, false)).toBe('42 rows');
    expect(shownOfTotal(100, null, true)).toBe('first 100 rows');
    expect(shownOfTotal(100, undefined, true)).toBe('first 100 rows');
    expect(shownOfTotal(3, null, false)).toBe('3 rows');
  });

  it('gives a table page its range and the total when known', () => {
    expect(pageRange(51, 100, 655_341)).toBe('rows 51–100 of 655,341');
    expect(pageRange(1, 50, null)).toBe('rows 1–50');
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });
});
