import { describe, expect, it } from 'vitest';
import { gridLayout, sameLayout, toSaved } from './layout.ts';

describe('gridLayout', () => {
  it('keeps saved positions, drops deleted widgets and places new ones two per row below', () => {
    const saved = [
      { widget_id: 'a', x: 0, y: 0, w: 12, h: 4 },
      { widget_id: 'gone', x: 0, y: 4, w: 6, h: 6 },
    ];
    expect(gridLayout(['a', 'b', 'c', 'd'], saved)).toEqual([
      { i: 'a', x: 0, y: 0, w: 12, h: 4 },
      { i: 'b', x: 0, y: 4, w: 6, h: 9 },
      { i: 'c', x: 6, y: 4, w: 6, h: 9 },
      { i: 'd', x: 0, y: 13, w: 6, h: 9 },
    ]);
  });

  it('round-trips through the saved form and compares layouts regardless of order', () => {
    const items = gridLayout(['a', 'b'], []);
    const saved = toSaved(items);
    expect(saved).toEqual([
      { widget_id: 'a', x: 0, y: 0, w: 6, h: 9 },
      { widget_id: 'b', x: 6, y: 0, w: 6, h: 9 },
    ]);
    expect(sameLayout(saved, [...saved].reverse())).toBe(true);
    expect(sameLayout(saved, [{ ...saved[0]!, w: 7 }, saved[1]!])).toBe(false);
  });
});
