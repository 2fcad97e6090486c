import type { DuckDBConnection } from '@duckdb/node-api';
import {
  createRandom,
  INSTRUMENTS,
  PriceWalk,
  quoteAround,
  roundTo,
  TRADE_QUANTITIES,
} from '@flowforge/pipeline/market';
import { refreshRollupsSql } from './duckdb-market.ts';

export interface Tick {
  symbol: string;
  price: number;
  event_time: string;
  trades: number;
}

export interface SimulatorOptions {
  connection: DuckDBConnection;
  /** Called once per step with a tick per symbol that traded, after the rows are committed. */
  onStep: (ticks: Tick[]) => void | Promise<void>;
  intervalMs?: number;
  seed?: number;
  /** Real seconds per step, used to scale the walk to live trading. */
  tradesPerStep?: number;
}

/**
 * Appends live trades (and a quote per trading symbol) every second, continuing each symbol's walk from the last stored
 * price so charts do not jump when the embedded server restarts.
 */
export class MarketSimulator {
  #timer: NodeJS.Timeout | undefined;
  #walks: PriceWalk[] = [];
  #sequence = 0;
  #running: Promise<void> = Promise.resolve();
  readonly #random;

  constructor(private readonly options: SimulatorOptions) {
    this.#random = createRandom(options.seed ?? Date.now());
  }

  async start(): Promise<void> {
    const reader = await this.options.connection.runAndReadAll(
      'SELECT symbol, CAST(arg_max(price, event_time) AS DOUBLE) AS price FROM flowforge.raw_trades GROUP BY symbol',
    );
    const last = new Map(reader.getRowObjects().map((r) => [r.symbol as string, r.price as number]));
    this.#walks = INSTRUMENTS.map((i) => {
      const walk = new PriceWalk(
        i.symbol,
        i.basePrice,
        this.#random.uniform(0.15, 0.45),
        23_400,
        this.#random,
      );
      const lastPrice = last.get(i.symbol);
      return lastPrice === undefined ? walk : walk.resumeAt(lastPrice);
    });
    this.#timer = setInterval(() => {
      // Steps never overlap: a slow insert delays the next step instead of piling up writers.
      this.#running = this.#running
        .then(async () => {
          await this.step();
        })
        .catch((error: unknown) => console.error('simulator step failed', error));
    }, this.options.intervalMs ?? 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One step: some symbols trade 1–3 times. Exposed so tests can drive time. */
  async step(now = new Date()): Promise<Tick[]> {
    const trades: string[] = [];
    const quotes: string[] = [];
    const ticks: Tick[] = [];
    for (const walk of this.#walks) {
      if (this.#random.next() < 0.4) continue;
      const count = 1 + Math.floor(this.#random.next() * 3);
      for (let i = 0; i < count; i++) {
        const price = walk.step();
        const quantity = this.#random.pick(TRADE_QUANTITIES);
        const side = this.#random.next() < 0.5 ? 'BUY' : 'SELL';
        trades.push(
          `('live-${now.getTime()}-${++this.#sequence}', epoch_ms(${now.getTime()}), '${walk.symbol}', '${side}', ${quantity}, ${price}, ${roundTo(quantity * price, 4)})`,
        );
      }
      const q = quoteAround(walk.symbol, walk.price, walk.volatility, now, this.#random);
      quotes.push(
        `('${q.symbol}', epoch_ms(${now.getTime()}), ${q.bid}, ${q.ask}, ${q.bid_size}, ${q.ask_size}, ${q.mid_price})`,
      );
      ticks.push({
        symbol: walk.symbol,
        price: roundTo(walk.price, 2),
        event_time: now.toISOString(),
        trades: count,
      });
    }
    if (ticks.length === 0) return ticks;
    // Every value here is a number or one of our own symbols/sides: no user text reaches this SQL.
    const connection = this.options.connection;
    try {
      await connection.run(`BEGIN;
        INSERT INTO flowforge.raw_trades VALUES ${trades.join(', ')};
        INSERT INTO flowforge.raw_quotes VALUES ${quotes.join(', ')};
        ${refreshRollupsSql(
          now,
          ticks.map((t) => t.symbol),
        )}
        COMMIT;`);
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => {});
      throw error;
    }
    await this.options.onStep(ticks);
    return ticks;
  }
}
