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

/**
 * The same bus, telling `onPublish` about every channel this process publishes on before it goes out: a backend that
 * cannot push to this process (Upstash REST) still lets the process drop what it keeps about its own changes.
 */
export function echoingBus(bus: Bus, onPublish: (channel: string) => void): Bus {
  return {
    publish(channel, message) {
      onPublish(channel);
      return bus.publish(channel, message);
    },
    ping: () => bus.ping(),
    ...(bus.subscribe ? { subscribe: bus.subscribe.bind(bus) } : {}),
  };
}
