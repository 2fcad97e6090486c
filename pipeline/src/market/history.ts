import { INSTRUMENTS, type Instrument } from './instruments.ts';
import { PriceWalk, roundTo, uShapedFraction } from './price-walk.ts';
import { createRandom, type Random } from './random.ts';

export interface Trade {
  trade_id: string;
  event_time: Date;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: number;
  notional: number;
}

export interface Quote {
  symbol: string;
  event_time: Date;
  bid: number;
  ask: number;
  bid_size: number;
  ask_size: number;
  mid_price: number;
}

export interface HistoryOptions {
  /** Last day generated is the day before `end` (UTC). */
  end: Date;
  days: number;
  tradesPerDayPerSymbol: number;
  /** One quote per this many trades. */
  tradesPerQuote: number;
  seed: number;
  instruments?: readonly Instrument[];
}

export const TRADE_QUANTITIES = [10, 25, 50, 100, 200, 500] as const;
const QUOTE_SIZES = [100, 200, 500, 1000, 2000] as const;
// US cash session 09:30–16:00 ET expressed in UTC (EST; the seed ignores daylight saving).
const SESSION_OPEN_UTC_MS = (14 * 60 + 30) * 60_000;
const SESSION_LENGTH_MS = 6.5 * 3_600_000;
const DAY_MS = 86_400_000;

export function quoteAround(
  symbol: string,
  price: number,
  volatility: number,
  at: Date,
  random: Random,
): Quote {
  const spreadBps = random.uniform(1, 10) * volatility * 10;
  const spread = (price * spreadBps) / 10_000;
  const bid = roundTo(price - spread / 2, 2);
  const ask = roundTo(price + spread / 2, 2);
  return {
    symbol,
    event_time: at,
    bid,
    ask,
    bid_size: random.pick(QUOTE_SIZES),
    ask_size: random.pick(QUOTE_SIZES),
    mid_price: roundTo((bid + ask) / 2, 6),
  };
}

/** Weekday trading days in [end - days, end), oldest first. */
export function tradingDays(end: Date, days: number): Date[] {
  const endDay = Math.floor(end.getTime() / DAY_MS) * DAY_MS;
  const result: Date[] = [];
  for (let d = endDay - days * DAY_MS; d < endDay; d += DAY_MS) {
    const weekday = new Date(d).getUTCDay();
    if (weekday !== 0 && weekday !== 6) result.push(new Date(d));
  }
  return result;
}

export function countHistoryTrades(options: HistoryOptions): number {
  const symbols = (options.instruments ?? INSTRUMENTS).length;
  return tradingDays(options.end, options.days).length * symbols * options.tradesPerDayPerSymbol;
}

/** One trade of the tape, the quote taken at it (one per `tradesPerQuote`), and where it sits: `trade_id` is
 * `hist-<day>-<symbol>-<seq>` (day = index of the trading day, seq = the trade's place in the symbol's day). */
export interface HistoryRow {
  trade: Trade;
  quote?: Quote;
  day: number;
  seq: number;
}

/**
 * Deterministic historical tape: per symbol a price walk that carries over from day to day (the plan's script restarted
 * it every morning, which made daily charts flat), trade times U-shaped over the session, quotes interleaved.
 */
export function* generateHistory(options: HistoryOptions): Generator<HistoryRow> {
  const random = createRandom(options.seed);
  const instruments = options.instruments ?? INSTRUMENTS;
  const walks = instruments.map(
    (i) =>
      new PriceWalk(i.symbol, i.basePrice, random.uniform(0.15, 0.45), options.tradesPerDayPerSymbol, random),
  );
  const days = tradingDays(options.end, options.days);
  for (const [dayIndex, day] of days.entries()) {
    const sessionStart = day.getTime() + SESSION_OPEN_UTC_MS;
    for (const walk of walks) {
      const offsets = Array.from({ length: options.tradesPerDayPerSymbol }, () =>
        Math.floor(uShapedFraction(random) * SESSION_LENGTH_MS),
      ).sort((a, b) => a - b);
      for (const [i, offset] of offsets.entries()) {
        const price = walk.step();
        const quantity = random.pick(TRADE_QUANTITIES);
        const eventTime = new Date(sessionStart + offset);
        const trade: Trade = {
          trade_id: `hist-${dayIndex}-${walk.symbol}-${i}`,
          event_time: eventTime,
          symbol: walk.symbol,
          side: random.next() < 0.5 ? 'BUY' : 'SELL',
          quantity,
          price,
          notional: roundTo(quantity * price, 4),
        };
        yield i % options.tradesPerQuote === 0
          ? {
              trade,
              quote: quoteAround(walk.symbol, walk.price, walk.volatility, eventTime, random),
              day: dayIndex,
              seq: i,
            }
          : { trade, day: dayIndex, seq: i };
      }
    }
  }
}
