/** String cache with TTL. Failures throw; callers that can live without a cache catch and degrade. */
export interface Cache {
  /** Reads answer from this process's memory, so no work can overlap them (the embedded mode's cache). */
  readonly inProcess?: boolean;
  get(key: string): Promise<string | null>;
  /** Several keys in one round trip (Redis MGET), in order; null where a key is missing or expired. */
  getMany(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  ping(): Promise<void>;
}
