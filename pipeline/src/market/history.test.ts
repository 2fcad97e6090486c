import { describe, expect, it } from 'vitest';
import { countHistoryTrades, generateHistory, tradingDays } from './history.ts';
import { INSTRUMENTS } from './instruments.ts';
import { createRandom } from './random.ts';
import { uShapedFraction } from './price-walk.ts';

const options = {
  end: new Date('2026-06-01T00:00:00Z'),
  days: 14,
  tradesPerDayPerSymbol: 200,
  tradesPerQuote: 5,
  seed: 7,
};

describe('tradingDays', () => {
  it('keeps weekdays only, oldest first', () => {
    const days = tradingDays(options.end, 14);
    expect(days).toHaveLength(10);
    expect(days.every((d) => d.getUTCDay() >= 1 && d.getUTCDay() <= 5)).toBe(true);
    expect(days[0]!.toISOString()).toBe('2026-05-18T00:00:00.000Z');
    expect(days.at(-1)!.toISOString()).toBe('2026-05-29T00:00:00.000Z');
  });
});

describe('generateHistory', () => {
  const rows = [...generateHistory(options)];

  it('produces the announced number of trades for the 10 plan instruments', () => {
    expect(INSTRUMENTS.map((i) => i.symbol)).toEqual([
      'AAPL',
      'MSFT',
      'GOOGL',
      'AMZN',
      'NVDA',
      'TSLA',
      'META',
      'JPM',
      'BAC',
      'GS',
    ]);
    expect(rows).toHaveLength(countHistoryTrades(options));
    expect(rows).toHaveLength(10 * 10 * 200);
    expect(rows.filter((r) => r.quote)).toHaveLength(10 * 10 * 40);
  });

  it('is deterministic for a seed', () => {
    const again = [...generateHistory(options)];
    expect(again[1234]).toEqual(rows[1234]);
    const other = [...generateHistory({ ...options, seed: 8 })];
    expect(other[1234]!.trade.price).not.toBe(rows[1234]!.trade.price);
  });

  it('keeps trades inside the session, prices positive and notional = qty × price', () => {
    for (const { trade, quote } of rows) {
      const minutes = trade.event_time.getUTCHours() * 60 + trade.event_time.getUTCMinutes();
      expect(minutes).toBeGreaterThanOrEqual(14 * 60 + 30);
      expect(minutes).toBeLessThan(21 * 60);
      expect(trade.price).toBeGreaterThan(0);
      expect(trade.notional).toBeCloseTo(trade.quantity * trade.price, 4);
      if (quote) expect(quote.bid).toBeLessThanOrEqual(quote.ask);
    }
  });

  it('carries each symbol walk across days instead of restarting it at the base price', () => {
    const aapl = rows.filter((r) => r.trade.symbol === 'AAPL').map((r) => r.trade);
    const firstOfDay2 = aapl[200]!.price;
    const lastOfDay1 = aapl[199]!.price;
    expect(Math.abs(firstOfDay2 - lastOfDay1) / lastOfDay1).toBeLessThan(0.02);
    expect(new Set(aapl.map((t) => t.price)).size).toBeGreaterThan(100);
  });
});

describe('uShapedFraction', () => {
  it('is busier near the open and close than mid-session', () => {
    const random = createRandom(1);
    const buckets = [0, 0, 0, 0, 0];
    for (let i = 0; i < 50_000; i++) buckets[Math.min(4, Math.floor(uShapedFraction(random) * 5))]!++;
    expect(buckets[0]!).toBeGreaterThan(buckets[2]! * 1.5);
    expect(buckets[4]!).toBeGreaterThan(buckets[2]! * 1.5);
  });
});
