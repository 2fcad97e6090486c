/** String cache with TTL. Failures throw; callers that can live without a cache catch and degrade. */
export interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  ping(): Promise<void>;
}
