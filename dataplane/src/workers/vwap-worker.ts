import type { ClickHouseClient } from '@clickhouse/client';
import { LATEST_DATABASE, latestKey, type LatestFields } from '@flowforge/edge/live';
import { clickHouseTime, type Tables } from '@flowforge/pipeline/clickhouse';
import { InvalidMessage, parseTrade } from '@flowforge/pipeline/streams';
import type { Redis } from 'ioredis';
import type { Consumer, Kafka } from 'kafkajs';
import { notifyStored } from './notifier.ts';
import { RollingVolatility, VwapWindows, type ClosedWindow } from './vwap-windows.ts';

export interface VwapWorkerOptions {
  kafka: Kafka;
  clickhouse: ClickHouseClient;
  redis: Redis;
  tables: Tables;
  topic: string;
  groupId?: string;
  /** How often windows are closed by the advancing wall clock when no trades arrive. */
  tickMs?: number;
  now?: () => number;
}

const fixed = (value: number, digits: number) => value.toFixed(digits);

/**
 * raw.trades → 5-minute VWAP windows (metrics.vwap_5min, `latest:vwap:{symbol}`) and rolling volatility
 * (metrics.rolling_volatility). Offsets are committed only up to the first trade of a still-open window, so a restart
 * replays exactly the trades of the windows it lost; windows already stored are skipped (their end ≤ the stored max)
 * and both tables are ReplacingMergeTree by (symbol, window_end), so a window written twice is one row.
 */
export class VwapWorker {
  readonly #consumer: Consumer;
  #windows = new VwapWindows();
  #volatility = new RollingVolatility();
  /** One past the last offset added, per partition. */
  readonly #next = new Map<number, bigint>();
  #reset: Promise<void> | undefined;
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  readonly #now: () => number;

  constructor(private readonly o: VwapWorkerOptions) {
    this.#now = o.now ?? Date.now;
    this.#consumer = o.kafka.consumer({
      groupId: o.groupId ?? 'flowforge-vwap',
      maxWaitTimeInMs: 500,
      sessionTimeout: 6_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 20_000,
    });
    // After a rebalance every assigned partition restarts at its committed offset: rebuild the state from there.
    this.#consumer.on(this.#consumer.events.GROUP_JOIN, () => {
      this.#reset = this.#loadState();
    });
  }

  get lateTrades(): number {
    return this.#windows.late;
  }

  async start(): Promise<void> {
    this.#reset = this.#loadState();
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: this.o.topic, fromBeginning: true });
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        await this.#reset;
        const now = this.#now();
        for (const m of batch.messages) {
          try {
            this.#windows.add(parseTrade(m.value), batch.partition, BigInt(m.offset), now);
          } catch (error) {
            if (!(error instanceof InvalidMessage)) throw error;
          }
          resolveOffset(m.offset);
        }
        const last = batch.messages.at(-1);
        if (last) this.#next.set(batch.partition, BigInt(last.offset) + 1n);
        await this.flush();
        await heartbeat();
      },
    });
    this.#timer = setInterval(() => {
      this.flush().catch((error: unknown) => console.error('vwap: flush failed', error));
    }, this.o.tickMs ?? 1_000);
  }

  /** Emits every window the watermark closed, then commits what no open window still needs. Serialized. */
  flush(): Promise<void> {
    const run = this.#chain.then(async () => {
      const closed = this.#windows.close(this.#now());
      if (closed.length > 0) await this.#emit(closed);
      const offsets = [...this.#next].map(([partition, next]) => ({
        topic: this.o.topic,
        partition,
        offset: this.#windows.committable(partition, next).toString(),
      }));
      if (offsets.length > 0) await this.#consumer.commitOffsets(offsets);
    });
    this.#chain = run.catch(() => {});
    return run;
  }

  async #emit(closed: ClosedWindow[]): Promise<void> {
    const t = this.o.tables;
    const volatility = closed.flatMap((w) => this.#volatility.push(w.symbol, w.windowEnd, w.vwap) ?? []);
    await this.o.clickhouse.insert({
      table: t.vwap5min,
      format: 'JSONEachRow',
      values: closed.map((w) => ({
        symbol: w.symbol,
        window_end: clickHouseTime(w.windowEnd),
        vwap: fixed(w.vwap, 6),
        volume: fixed(w.volume, 4),
        trade_count: w.tradeCount,
        spread_bps: fixed(Math.min(w.spreadBps, 999_999), 2),
      })),
    });
    if (volatility.length > 0)
      await this.o.clickhouse.insert({
        table: t.rollingVolatility,
        format: 'JSONEachRow',
        values: volatility.map((v) => ({
          symbol: v.symbol,
          window_end: clickHouseTime(v.windowEnd),
          volatility_1h: fixed(v.volatility1h, 8),
          volatility_24h: fixed(v.volatility24h, 8),
          return_pct: fixed(v.returnPct, 8),
        })),
      });
    const latest = new Map(closed.map((w) => [w.symbol, w]));
    await notifyStored(
      this.o.redis,
      [t.vwap5min, `${LATEST_DATABASE}.vwap`, ...(volatility.length > 0 ? [t.rollingVolatility] : [])],
      [...latest.values()].map((w) => ({ symbol: w.symbol, eventTime: w.windowEnd })),
      (pipeline) => {
        for (const w of latest.values())
          pipeline.hset(latestKey('vwap', w.symbol), {
            vwap: fixed(w.vwap, 6),
            volume: fixed(w.volume, 4),
            trade_count: String(w.tradeCount),
            spread_bps: fixed(w.spreadBps, 2),
            window_end: w.windowEnd.toISOString(),
          } satisfies LatestFields<'vwap'>);
      },
    );
  }

  /** Windows already stored are never reopened; the last 289 VWAPs per symbol restore the volatility history. */
  async #loadState(): Promise<void> {
    const t = this.o.tables;
    const rs = await this.o.clickhouse.query({
      query: `SELECT symbol, toUnixTimestamp64Milli(window_end) AS end, toFloat64(vwap) AS vwap
              FROM ${t.vwap5min} FINAL ORDER BY symbol, window_end DESC LIMIT 289 BY symbol`,
      format: 'JSONEachRow',
    });
    const rows = (await rs.json<{ symbol: string; end: string | number; vwap: number }>()).reverse();
    const lastEmitted = new Map<string, number>();
    const volatility = new RollingVolatility();
    for (const r of rows) {
      lastEmitted.set(r.symbol, Number(r.end));
      volatility.push(r.symbol, new Date(Number(r.end)), r.vwap);
    }
    this.#windows = new VwapWindows(lastEmitted);
    this.#volatility = volatility;
    this.#next.clear();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#chain;
    await this.#consumer.disconnect();
  }
}
