import { describe, expect, it } from 'vitest';
import { summarizeConfig } from './node-summary.ts';

describe('summarizeConfig', () => {
  it('lists every complete join key pair and skips the ones still being chosen', () => {
    const keys = [
      { left: 'symbol', right: 'ticker' },
      { left: 'side', right: 'side' },
      { left: 'venue', right: '' },
    ];
    expect(summarizeConfig('join', { join_type: 'LEFT', keys })).toBe('LEFT on symbol = ticker, side = side');
    expect(summarizeConfig('join', { join_type: 'INNER', keys: [{ left: '', right: '' }] })).toBe('');
    expect(summarizeConfig('join', { join_type: 'INNER', keys: [] })).toBe('');
  });
});
