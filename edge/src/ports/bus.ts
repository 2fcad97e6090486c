/** Fire-and-forget invalidation messages; the data plane's fan-out subscribes on the other side. */
export interface Bus {
  /** Resolves with the number of subscribers that received it when the backend knows. */
  publish(channel: string, message: string): Promise<number>;
  ping(): Promise<void>;
}
