import { describe, expect, it } from 'vitest';
import { uniqueName } from './unique-name.ts';

describe('uniqueName', () => {
  it('keeps a name nobody has', () => {
    expect(uniqueName('VWAP by symbol', ['Spread monitor'])).toBe('VWAP by symbol');
  });
  it('numbers a taken name from 2, taking the first free number', () => {
    expect(uniqueName('VWAP by symbol', ['VWAP by symbol'])).toBe('VWAP by symbol (2)');
    expect(uniqueName('VWAP by symbol', ['VWAP by symbol', 'VWAP by symbol (2)', 'VWAP by symbol (4)'])).toBe(
      'VWAP by symbol (3)',
    );
  });
  it('compares names exactly (a different case is a different name)', () => {
    expect(uniqueName('Copy of a', ['copy of a'])).toBe('Copy of a');
  });
});
