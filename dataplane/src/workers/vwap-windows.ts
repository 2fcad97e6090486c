import type { Trade } from '@flowforge/pipeline/market';

export const WINDOW_MS = 5 * 60_000;
/** Plan §7: the event clock waits 10 s for late trades before a window closes. */
export const ALLOWED_LATENESS_MS = 10_000;

export interface ClosedWindow {
  symbol: string;
  windowEnd: Date;
  vwap: number;
  volume: number;
  tradeCount: number;
  /** (high − low) / low in basis points over the window's trades, as the plan's accumulator. */
  spreadBps: number;
}

interface OpenWindow {
  symbol: string;
  end: number;
  notional: number;
  volume: number;
  count: number;
  high: number;
  low: number;
  /** Lowest Kafka offset per partition that contributed: nothing below it may be committed while the window is open. */
  firstOffset: Map<number, bigint>;
}

interface Clock {
  /** Newest event time seen for the symbol… */
  maxEvent: number;
  /** …and the wall time when it was seen: the watermark moves on with wall time when a symbol goes quiet. */
  seenAt: number;
}

export type AddResult = 'accepted' | 'late' | 'already_emitted';

/**
 * 5-minute tumbling windows per symbol by event time (aligned to the epoch), closed by a watermark:
 * watermark = newest event time − 10 s + wall time since that event was seen (Bytewax's EventClock). An event is
 * accepted while its window is open, so anything at most 10 s older than the newest event is always counted; later
 * ones are dropped and counted as late. Windows stored before a restart (`storedBefore`) are never reopened.
 */
export class VwapWindows {
  readonly #open = new Map<string, OpenWindow>();
  readonly #clocks = new Map<string, Clock>();
  /** Per symbol, the newest window end stored before this process started (the watermark covers later ones). */
  readonly #storedBefore: Map<string, number>;
  late = 0;

  constructor(storedBefore: Map<string, number> = new Map()) {
    this.#storedBefore = storedBefore;
  }

  watermark(symbol: string, now: number): number {
    const clock = this.#clocks.get(symbol);
    if (!clock) return Number.NEGATIVE_INFINITY;
    return clock.maxEvent - ALLOWED_LATENESS_MS + Math.max(0, now - clock.seenAt);
  }

  add(trade: Trade, partition: number, offset: bigint, now: number): AddResult {
    const at = trade.event_time.getTime();
    const end = Math.floor(at / WINDOW_MS) * WINDOW_MS + WINDOW_MS;
    if (end <= (this.#storedBefore.get(trade.symbol) ?? Number.NEGATIVE_INFINITY)) return 'already_emitted';
    if (end <= this.watermark(trade.symbol, now)) {
      this.late++;
      return 'late';
    }
    const clock = this.#clocks.get(trade.symbol);
    if (!clock || at > clock.maxEvent) this.#clocks.set(trade.symbol, { maxEvent: at, seenAt: now });

    const key = `${trade.symbol}\u0000${end}`;
    let w = this.#open.get(key);
    if (!w) {
      w = {
        symbol: trade.symbol,
        end,
        notional: 0,
        volume: 0,
        count: 0,
        high: -Infinity,
        low: Infinity,
        firstOffset: new Map(),
      };
      this.#open.set(key, w);
    }
    w.notional += trade.quantity * trade.price;
    w.volume += trade.quantity;
    w.count++;
    w.high = Math.max(w.high, trade.price);
    w.low = Math.min(w.low, trade.price);
    const first = w.firstOffset.get(partition);
    if (first === undefined || offset < first) w.firstOffset.set(partition, offset);
    return 'accepted';
  }

  /** Removes and returns every window whose end the symbol's watermark has reached, oldest first. */
  close(now: number): ClosedWindow[] {
    const closed: ClosedWindow[] = [];
    for (const [key, w] of this.#open) {
      if (w.end > this.watermark(w.symbol, now)) continue;
      this.#open.delete(key);
      closed.push({
        symbol: w.symbol,
        windowEnd: new Date(w.end),
        vwap: w.notional / w.volume,
        volume: w.volume,
        tradeCount: w.count,
        spreadBps: w.low > 0 ? ((w.high - w.low) / w.low) * 10_000 : 0,
      });
    }
    return closed.sort((a, b) => a.windowEnd.getTime() - b.windowEnd.getTime());
  }

  /**
   * The offset that may be committed for a partition: `next` (one past the last offset added), held back to the first
   * offset of any still-open window that partition fed, so a restart replays every trade of an open window.
   */
  committable(partition: number, next: bigint): bigint {
    let commit = next;
    for (const w of this.#open.values()) {
      const first = w.firstOffset.get(partition);
      if (first !== undefined && first < commit) commit = first;
    }
    return commit;
  }
}

/** Rolling volatility from consecutive window VWAPs: 12 windows = 1 h, 288 = 24 h (sample standard deviation). */
export class RollingVolatility {
  readonly #returns = new Map<string, number[]>();
  readonly #lastVwap = new Map<string, number>();

  /** Feeds a window's VWAP (history after a restart, then live); returns the row once a previous VWAP exists. */
  push(symbol: string, windowEnd: Date, vwap: number) {
    const previous = this.#lastVwap.get(symbol);
    this.#lastVwap.set(symbol, vwap);
    if (previous === undefined) return undefined;
    const r = vwap / previous - 1;
    const returns = this.#returns.get(symbol) ?? [];
    returns.push(r);
    if (returns.length > 288) returns.shift();
    this.#returns.set(symbol, returns);
    return {
      symbol,
      windowEnd,
      volatility1h: stdev(returns.slice(-12)),
      volatility24h: stdev(returns),
      returnPct: r * 100,
    };
  }
}

function stdev(xs: number[]): number {
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
}
