import { describe, expect, it } from 'vitest';
import { backwardPath, runsBackward } from './edge-route.ts';

describe('edge routes', () => {
  it('goes round only when the target input is left of the source output', () => {
    expect(runsBackward({ from: { x: 100, y: 0 }, to: { x: 300, y: 50 } })).toBe(false);
    // Nodes placed close together still get a curve, not a loop.
    expect(runsBackward({ from: { x: 100, y: 0 }, to: { x: 110, y: 0 } })).toBe(false);
    expect(runsBackward({ from: { x: 100, y: 0 }, to: { x: 99, y: 30 } })).toBe(true);
    expect(runsBackward({ from: { x: 300, y: 0 }, to: { x: 100, y: 0 } })).toBe(true);
  });

  it('goes out right, under both nodes, back left and into the target from its left', () => {
    const path = backwardPath({ from: { x: 300, y: 40 }, to: { x: 100, y: 40 }, below: 70 }, 0);
    const points = [...path.matchAll(/[MLQ] (-?[\d.]+) (-?[\d.]+)/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    // With no rounding every corner is a point: Q's control point repeats it.
    const corners = points.filter((p, i) => i === 0 || p.join() !== points[i - 1]!.join());
    expect(corners).toEqual([
      [300, 40],
      [320, 40],
      [320, 94],
      [80, 94],
      [80, 40],
      [100, 40],
    ]);
    expect(path.startsWith('M 300 40')).toBe(true);
    expect(path.endsWith('L 100 40')).toBe(true);
  });

  it('rounds its corners without overshooting a short leg', () => {
    const path = backwardPath({ from: { x: 300, y: 40 }, to: { x: 100, y: 40 }, below: 70 }, 8);
    expect(path).toContain('Q 320 40');
    expect(path).toContain('Q 80 94');
    const ys = [...path.matchAll(/[MLQ] (-?[\d.]+) (-?[\d.]+)/g)].map((m) => Number(m[2]));
    expect(Math.max(...ys)).toBe(94);
  });
});
