/** Fire-and-forget invalidation messages; the data plane's fan-out subscribes on the other side. */
export interface Bus {
  /** Resolves with the number of subscribers that received it when the backend knows. */
  publish(channel: string, message: string): Promise<number>;
  ping(): Promise<void>;
  /**
   * Only where the backend can push to this process (the embedded mode's in-memory bus; a REST client cannot). A
   * channel ending in `*` matches every channel with that prefix.
   */
  subscribe?(channel: string, fn: (message: string, channel: string) => void): () => void;
}
