import { describe, expect, it } from 'vitest';
import { jsonNumber } from './json-number.ts';

describe('jsonNumber', () => {
  it('turns exact integers and decimals into numbers', () => {
    expect(['42', '-7', '12.5000', '1.50', '-0.0001', '100.0000', '184.980000'].map(jsonNumber)).toEqual([
      42, -7, 12.5, 1.5, -0.0001, 100, 184.98,
    ]);
  });

  it('keeps values a double would change as strings', () => {
    expect(
      ['9007199254740993', '-9007199254740993', '1234567890123456.78', '0.12345678901234567890'].map(
        jsonNumber,
      ),
    ).toEqual(['9007199254740993', '-9007199254740993', '1234567890123456.78', '0.12345678901234567890']);
  });
});
