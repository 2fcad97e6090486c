import type { ClickHouseClient } from '@clickhouse/client';
import { LATEST_DATABASE, latestKey, type LatestFields } from '@flowforge/edge/live';
import { quoteRow, tradeRow, type Tables } from '@flowforge/pipeline/clickhouse';
import type { Quote, Trade } from '@flowforge/pipeline/market';
import { InvalidMessage, parseQuote, parseTrade } from '@flowforge/pipeline/streams';
import type { Redis } from 'ioredis';
import type { SinkBatch } from './exactly-once-consumer.ts';
import { notifyStored, type SymbolActivity } from './notifier.ts';

/** Both the raw inserts and the rollup MVs behind them drop a block whose token they have already seen. */
const dedupSettings = (token: string) => ({
  insert_deduplication_token: token,
  deduplicate_blocks_in_dependent_materialized_views: 1 as const,
});

/** Malformed messages are skipped (and counted), never retried forever: schema enforcement is the consumer's job. */
function parseAll<T>(batch: SinkBatch, parse: (raw: Buffer | null) => T, onInvalid: (why: string) => void) {
  const out: T[] = [];
  for (const m of batch.messages) {
    try {
      out.push(parse(m.value));
    } catch (error) {
      if (!(error instanceof InvalidMessage)) throw error;
      onInvalid(`${batch.topic}:${batch.partition}@${m.offset}: ${error.message}`);
    }
  }
  return out;
}

/** Per symbol: how many trades the batch stored and the newest one's time and price. */
function tradeActivity(trades: Trade[]): SymbolActivity[] {
  const bySymbol = new Map<string, SymbolActivity & { trades: number }>();
  for (const t of trades) {
    const a = bySymbol.get(t.symbol);
    if (!a) bySymbol.set(t.symbol, { symbol: t.symbol, eventTime: t.event_time, price: t.price, trades: 1 });
    else {
      a.trades++;
      if (t.event_time >= a.eventTime) Object.assign(a, { eventTime: t.event_time, price: t.price });
    }
  }
  return [...bySymbol.values()];
}

export interface RawSinkDeps {
  clickhouse: ClickHouseClient;
  redis: Redis;
  tables: Tables;
  onInvalid?: (why: string) => void;
}

interface RawSinkSpec<T> {
  parse: (raw: Buffer | null) => T;
  table: (tables: Tables) => string;
  toRow: (item: T) => Record<string, unknown>;
  /** Once the rows are stored: data versions, ticks and any `latest:*` keys for the stored items. */
  notify: (deps: RawSinkDeps, items: T[]) => Promise<void>;
}

/**
 * One raw topic → its ClickHouse table with the batch's deduplication token; the parsed batch is kept for
 * `afterStored`, which notifies once the rows are stored.
 */
function rawSink<T>(spec: RawSinkSpec<T>) {
  return (deps: RawSinkDeps) => {
    const parsed = new WeakMap<SinkBatch, T[]>();
    return {
      async sink(batch: SinkBatch) {
        const items = parseAll(batch, spec.parse, deps.onInvalid ?? console.warn);
        parsed.set(batch, items);
        if (items.length === 0) return;
        await deps.clickhouse.insert({
          table: spec.table(deps.tables),
          values: items.map(spec.toRow),
          format: 'JSONEachRow',
          clickhouse_settings: dedupSettings(batch.token),
        });
      },
      async afterStored(batch: SinkBatch) {
        const items = parsed.get(batch) ?? [];
        if (items.length > 0) await spec.notify(deps, items);
      },
    };
  };
}

/** raw.trades → flowforge.raw_trades (+ rollup MVs), then a data version bump and a tick per symbol. */
export const tradeSink = rawSink<Trade>({
  parse: parseTrade,
  table: (t) => t.rawTrades,
  toRow: tradeRow,
  notify: ({ redis, tables: t }, trades) =>
    notifyStored(redis, [t.rawTrades, t.hourlyRollup, t.dailyRollup], tradeActivity(trades)),
});

/** raw.quotes → flowforge.raw_quotes, then `latest:quote:{symbol}` hashes, a data version bump and ticks. */
export const quoteSink = rawSink<Quote>({
  parse: parseQuote,
  table: (t) => t.rawQuotes,
  toRow: quoteRow,
  notify: ({ redis, tables }, quotes) => {
    const latest = new Map<string, Quote>();
    for (const q of quotes) {
      const seen = latest.get(q.symbol);
      if (!seen || q.event_time >= seen.event_time) latest.set(q.symbol, q);
    }
    return notifyStored(
      redis,
      // The redis store's `latest.quote` changed too: previews over it get a new data version, widgets a tick.
      [tables.rawQuotes, `${LATEST_DATABASE}.quote`],
      [...latest.values()].map((q) => ({ symbol: q.symbol, eventTime: q.event_time })),
      (pipeline) => {
        for (const q of latest.values())
          pipeline.hset(latestKey('quote', q.symbol), {
            bid: String(q.bid),
            ask: String(q.ask),
            mid_price: String(q.mid_price),
            bid_size: String(q.bid_size),
            ask_size: String(q.ask_size),
            event_time: q.event_time.toISOString(),
          } satisfies LatestFields<'quote'>);
      },
    );
  },
});
