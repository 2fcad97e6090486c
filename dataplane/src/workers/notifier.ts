import { dataVersionKey, symbolChannel, type SymbolTick } from '@flowforge/edge/live';
import type { Redis } from 'ioredis';

export interface SymbolActivity {
  symbol: string;
  /** Newest event of the batch for this symbol. */
  eventTime: Date;
  price?: number;
  trades?: number;
}

/**
 * After rows are stored: one Redis round trip bumps the data version of every table written (the preview cache key
 * holds it, so the next preview is fresh) and publishes one tick per touched symbol for the fan-out.
 */
export async function notifyStored(
  redis: Redis,
  tables: string[],
  activity: Iterable<SymbolActivity>,
  extra?: (pipeline: ReturnType<Redis['pipeline']>) => void,
): Promise<void> {
  const pipeline = redis.pipeline();
  for (const table of tables) pipeline.incr(dataVersionKey(table));
  extra?.(pipeline);
  for (const a of activity) {
    const tick: SymbolTick = {
      type: 'tick',
      symbol: a.symbol,
      tables,
      event_time: a.eventTime.toISOString(),
      ...(a.price !== undefined ? { price: a.price } : {}),
      ...(a.trades !== undefined ? { trades: a.trades } : {}),
    };
    pipeline.publish(symbolChannel(a.symbol), JSON.stringify(tick));
  }
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0];
}
