import { describe, expect, it } from 'vitest';
import { MissForecast } from './miss-forecast.ts';

describe('MissForecast', () => {
  it('is trusted with no history and while at most a tenth of likely misses were hits', () => {
    const forecast = new MissForecast(20, 0.1);
    expect(forecast.trusted()).toBe(true);
    // One hit among the first reads: 1 ≤ 0.1 × max(n, 10).
    forecast.record(true);
    expect(forecast.trusted()).toBe(true);
    forecast.record(true);
    expect(forecast.trusted()).toBe(false);
    for (let i = 0; i < 17; i++) forecast.record(false);
    // 2 hits of 19.
    expect(forecast.trusted()).toBe(false);
    forecast.record(false);
    // 2 hits of 20.
    expect(forecast.trusted()).toBe(true);
    // The window slides: each new hit takes the place of one of the first two.
    forecast.record(true);
    forecast.record(true);
    expect(forecast.trusted()).toBe(true);
    // A third hit takes the place of a miss: 3 of 20.
    forecast.record(true);
    expect(forecast.trusted()).toBe(false);
  });

  it('comes back once the hits have left the window', () => {
    const forecast = new MissForecast(8, 0.25);
    for (let i = 0; i < 8; i++) forecast.record(true);
    expect(forecast.trusted()).toBe(false);
    for (let i = 0; i < 5; i++) forecast.record(false);
    // 3 hits of 8.
    expect(forecast.trusted()).toBe(false);
    forecast.record(false);
    // 2 hits of 8 = 0.25.
    expect(forecast.trusted()).toBe(true);
  });
});
