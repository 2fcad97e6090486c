/**
 * How often a "likely miss" (a key this process neither answered nor compiled lately) really missed the shared cache,
 * over the last `window` such reads. Starting the engine before the cache has answered pays only while the forecast
 * holds: one process alone in front of its cache (a Node server) is nearly always right, while a fleet of isolates that
 * fill each other's cache (Workers) is often wrong, and then stops trying until the misses come back.
 */
export class MissForecast {
  private readonly outcomes: boolean[] = [];
  private next = 0;
  private hits = 0;

  constructor(
    private readonly window = 32,
    /** The share of likely misses that may turn out hits while the forecast is still trusted. */
    private readonly tolerance = 0.1,
  ) {}

  /** Records what the cache answered to a likely miss: `true` when it had the answer after all. */
  record(hit: boolean): void {
    if (this.outcomes.length < this.window) this.outcomes.push(hit);
    else {
      if (this.outcomes[this.next]) this.hits--;
      this.outcomes[this.next] = hit;
      this.next = (this.next + 1) % this.window;
    }
    if (hit) this.hits++;
  }

  /** Whether likely misses have been misses often enough to act on the next one before the cache answers. */
  trusted(): boolean {
    return this.hits <= this.tolerance * Math.max(this.outcomes.length, 1 / this.tolerance);
  }
}
