import type { Trade } from '@flowforge/pipeline/market';
import { describe, expect, it } from 'vitest';
import { RollingVolatility, VwapWindows } from './vwap-windows.ts';

const T0 = Date.parse('2026-03-02T14:30:00.000Z'); // a window edge (multiple of 5 min)
const sec = (s: number) => T0 + s * 1000;
let id = 0;
const trade = (symbol: string, atSec: number, quantity: number, price: number): Trade => ({
  trade_id: `t${++id}`,
  event_time: new Date(sec(atSec)),
  symbol,
  side: 'BUY',
  quantity,
  price,
  notional: quantity * price,
});

describe('VwapWindows (hand-made tape)', () => {
  it('computes VWAP per 5-minute window with edges, an out-of-order and a late trade', () => {
    const w = new VwapWindows();
    let offset = 0n;
    const add = (t: Trade, wall: number) => w.add(t, 0, offset++, wall);
    // Window [14:30, 14:35): 100 @ 10, 300 @ 12 → (1000 + 3600) / 400 = 11.5
    expect(add(trade('AAPL', 0, 100, 10), sec(0))).toBe('accepted'); // exactly on the opening edge: belongs here
    expect(add(trade('AAPL', 120, 300, 12), sec(120))).toBe('accepted');
    // 14:35:00.000 exactly opens the next window [14:35, 14:40)
    expect(add(trade('AAPL', 300, 50, 20), sec(300))).toBe('accepted');
    // Out of order by 5 s, still inside the 10 s allowance: counted in the first window → (4600 + 200·11) / 600
    expect(add(trade('AAPL', 299, 200, 11), sec(304))).toBe('accepted');
    expect(w.close(sec(304))).toEqual([]); // watermark 14:34:50 + 4 s of quiet < 14:35
    // 14:35:12 moves the watermark past 14:35:00: the first window closes
    expect(add(trade('AAPL', 312, 10, 21), sec(312))).toBe('accepted');
    const [first, ...rest] = w.close(sec(312));
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ symbol: 'AAPL', tradeCount: 3, volume: 600 });
    expect(first!.windowEnd.toISOString()).toBe('2026-03-02T14:35:00.000Z');
    expect(first!.vwap).toBeCloseTo((1000 + 3600 + 2200) / 600, 10);
    expect(first!.spreadBps).toBeCloseTo(((12 - 10) / 10) * 10_000, 10);
    // 13 s behind the newest event and its window is closed: late, dropped, counted
    expect(add(trade('AAPL', 299, 1000, 99), sec(313))).toBe('late');
    expect(w.late).toBe(1);
    // The second window: 50 @ 20 + 10 @ 21, closed once the wall clock passes 14:40:10 with no more trades
    expect(w.close(sec(609))).toEqual([]);
    const [second] = w.close(sec(610)); // watermark = 14:35:12 − 10 s + 298 s of quiet = 14:40:00
    expect(second).toMatchObject({ tradeCount: 2, volume: 60 });
    expect(second!.vwap).toBeCloseTo((50 * 20 + 10 * 21) / 60, 10);
  });

  it('keeps symbols apart and holds commits back to the first offset of an open window', () => {
    const w = new VwapWindows();
    w.add(trade('AAPL', 10, 1, 1), 0, 5n, sec(10));
    w.add(trade('MSFT', 20, 1, 1), 1, 7n, sec(20));
    w.add(trade('AAPL', 30, 1, 1), 0, 6n, sec(30));
    expect(w.committable(0, 7n)).toBe(5n);
    expect(w.committable(1, 8n)).toBe(7n);
    expect(w.committable(2, 3n)).toBe(3n);
    const closed = w.close(sec(400));
    expect(closed.map((c) => c.symbol).sort()).toEqual(['AAPL', 'MSFT']);
    expect(w.committable(0, 7n)).toBe(7n);
  });

  it('never reopens a window stored before a restart', () => {
    const w = new VwapWindows(new Map([['AAPL', sec(300)]]));
    expect(w.add(trade('AAPL', 299, 1, 1), 0, 0n, sec(0))).toBe('already_emitted');
    expect(w.add(trade('AAPL', 300, 1, 1), 0, 1n, sec(0))).toBe('accepted');
  });
});

describe('RollingVolatility', () => {
  it('returns the window return and the sample deviation of the last 12 and 288 returns', () => {
    const v = new RollingVolatility();
    expect(v.push('AAPL', new Date(sec(300)), 100)).toBeUndefined();
    expect(v.push('AAPL', new Date(sec(600)), 101)!.returnPct).toBeCloseTo(1, 10);
    const row = v.push('AAPL', new Date(sec(900)), 99.99)!;
    const r = [0.01, 99.99 / 101 - 1];
    const mean = (r[0]! + r[1]!) / 2;
    expect(row.volatility1h).toBeCloseTo(Math.sqrt((r[0]! - mean) ** 2 + (r[1]! - mean) ** 2), 12);
    expect(row.volatility24h).toBeCloseTo(row.volatility1h, 12);
  });
});
