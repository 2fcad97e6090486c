import {
  createRandom,
  INSTRUMENTS,
  PriceWalk,
  quoteAround,
  roundTo,
  TRADE_QUANTITIES,
  type Instrument,
  type Quote,
  type Random,
  type Trade,
} from '../market/index.ts';
import type { OrderMessage } from '../streams/index.ts';

// Live steps are single trades; one trading day of 6.5 h at ~1 trade/s per symbol sets the walk's time scale.
const LIVE_STEPS_PER_DAY = 23_400;
const ORDER_STATUSES = ['NEW', 'FILLED', 'CANCELLED'] as const;

/**
 * The plan's live market: one price walk per instrument, trades on a random symbol, quotes around the current price.
 * Deterministic for a seed (the clock is passed in), so tests and benches can replay a tape.
 */
export class LiveMarket {
  readonly #random: Random;
  readonly #walks: PriceWalk[];
  readonly #idPrefix: string;
  #sequence = 0;

  constructor(seed: number, instruments: readonly Instrument[] = INSTRUMENTS, idPrefix = `live-${seed}`) {
    this.#random = createRandom(seed);
    this.#idPrefix = idPrefix;
    this.#walks = instruments.map(
      (i) =>
        new PriceWalk(
          i.symbol,
          i.basePrice,
          this.#random.uniform(0.15, 0.45),
          LIVE_STEPS_PER_DAY,
          this.#random,
        ),
    );
  }

  trade(at: Date, symbol?: string): Trade {
    const walk = this.#walkFor(symbol);
    const price = walk.step();
    const quantity = this.#random.pick(TRADE_QUANTITIES);
    return {
      trade_id: `${this.#idPrefix}-${++this.#sequence}`,
      event_time: at,
      symbol: walk.symbol,
      side: this.#random.next() < 0.5 ? 'BUY' : 'SELL',
      quantity,
      price,
      notional: roundTo(quantity * price, 4),
    };
  }

  quote(at: Date, symbol?: string): Quote {
    const walk = this.#walkFor(symbol);
    return quoteAround(walk.symbol, walk.price, walk.volatility, at, this.#random);
  }

  order(at: Date): OrderMessage {
    const walk = this.#walkFor();
    return {
      order_id: `${this.#idPrefix}-o${++this.#sequence}`,
      event_time: at.toISOString(),
      symbol: walk.symbol,
      side: this.#random.next() < 0.5 ? 'BUY' : 'SELL',
      quantity: this.#random.pick(TRADE_QUANTITIES),
      price: roundTo(walk.price * (1 + (this.#random.next() - 0.5) / 500), 2),
      status: this.#random.pick(ORDER_STATUSES),
    };
  }

  #walkFor(symbol?: string): PriceWalk {
    if (symbol === undefined) return this.#random.pick(this.#walks);
    const walk = this.#walks.find((w) => w.symbol === symbol);
    if (!walk) throw new Error(`unknown symbol ${symbol}`);
    return walk;
  }
}
