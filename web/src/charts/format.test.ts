import { describe, expect, it } from 'vitest';
import { columnFractionDigits, formatCell } from './format.ts';

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
