import { describe, expect, it } from 'vitest';
import { Lru, lruPer, perOwner } from './lru.ts';

describe('Lru', () => {
  it('forgets the least recently used entry beyond its capacity (a read counts as a use)', () => {
    const lru = new Lru<number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
  });

  it('replaces a value set again, and holds no more than its capacity', () => {
    const lru = new Lru<string>(3);
    for (let i = 0; i < 100; i++) lru.set(String(i % 10), `v${i}`);
    expect(lru.get('9')).toBe('v99');
    expect(Array.from({ length: 10 }, (_, i) => lru.has(String(i))).filter(Boolean)).toHaveLength(3);
    expect(lru.has('7') && lru.has('8') && !lru.has('6')).toBe(true);
  });

  it('lruPer keeps one Lru per owner', () => {
    const of = lruPer<object, number>(2);
    const [a, b] = [{}, {}];
    of(a).set('k', 1);
    expect(of(a)).toBe(of(a));
    expect(of(a).get('k')).toBe(1);
    expect(of(b).get('k')).toBeUndefined();
  });

  it('perOwner makes one value per owner, on first use', () => {
    let made = 0;
    const of = perOwner<object, { n: number }>(() => ({ n: ++made }));
    const [a, b] = [{}, {}];
    expect(made).toBe(0);
    expect(of(a)).toBe(of(a));
    expect([of(a).n, of(b).n, made]).toEqual([1, 2, 2]);
  });
});
