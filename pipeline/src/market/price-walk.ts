import type { Random } from './random.ts';

const TRADING_DAYS_PER_YEAR = 252;

/**
 * The plan's price model: geometric Brownian motion with a weak pull back to the base price, clamped so one step can
 * never move more than ±50 %. `stepsPerDay` sets the time scale so a day's worth of steps has the symbol's daily vol.
 */
export class PriceWalk {
  #price: number;
  readonly #base: number;
  readonly #vol: number;
  readonly #dt: number;

  constructor(
    readonly symbol: string,
    basePrice: number,
    annualVolatility: number,
    stepsPerDay: number,
    private readonly random: Random,
  ) {
    this.#price = basePrice;
    this.#base = basePrice;
    this.#vol = annualVolatility;
    this.#dt = 1 / (stepsPerDay * TRADING_DAYS_PER_YEAR);
  }

  get price(): number {
    return this.#price;
  }

  get volatility(): number {
    return this.#vol;
  }

  /** Continue from a stored price (e.g. after a restart) instead of the base price. */
  resumeAt(price: number): this {
    this.#price = price;
    return this;
  }

  step(): number {
    const drift = ((-0.5 * (this.#price - this.#base)) / this.#base) * this.#dt;
    const shock = this.#vol * Math.sqrt(this.#dt) * this.random.gauss();
    const next = this.#price * (1 + drift + shock);
    this.#price = Math.min(Math.max(next, this.#price * 0.5), this.#price * 1.5);
    return roundTo(this.#price, 2);
  }
}

export function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Intraday U-shaped activity (busy at the open and the close): the arcsine distribution on [0, 1], which is exactly
 * U-shaped, by inverse-transform sampling.
 */
export function uShapedFraction(random: Random): number {
  return (1 - Math.cos(Math.PI * random.next())) / 2;
}
