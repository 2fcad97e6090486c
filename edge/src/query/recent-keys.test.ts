import { describe, expect, it } from 'vitest';
import { RecentKeys } from './recent-keys.ts';

describe('RecentKeys', () => {
  it('forgets the least recently added key beyond its capacity', () => {
    const keys = new RecentKeys(2);
    keys.add('a');
    keys.add('b');
    keys.add('a');
    keys.add('c');
    expect(['a', 'b', 'c'].map((k) => keys.has(k))).toEqual([true, false, true]);
  });

  it('holds no more than its capacity', () => {
    const keys = new RecentKeys(3);
    for (let i = 0; i < 100; i++) keys.add(String(i));
    expect(Array.from({ length: 100 }, (_, i) => keys.has(String(i))).filter(Boolean)).toHaveLength(3);
    expect(keys.has('99') && keys.has('97') && !keys.has('96')).toBe(true);
  });
});
