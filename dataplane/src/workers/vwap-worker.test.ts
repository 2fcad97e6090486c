import { sendTrades } from '@flowforge/pipeline/generator';
import type { Trade } from '@flowforge/pipeline/market';
import { ensureTopics } from '@flowforge/pipeline/streams';
import { afterAll, describe, expect, it } from 'vitest';
import { openLiveStack, waitFor, type LiveStack } from '../test-support/live-stack.ts';
import { VwapWorker } from './vwap-worker.ts';

describe('VWAP worker: a hand-made tape through Kafka into ClickHouse and Redis', () => {
  let stack: LiveStack;
  let worker: VwapWorker | undefined;
  afterAll(async () => {
    await worker?.stop();
    await stack?.close();
  });

  it('stores the hand-computed VWAP of a window with edge, out-of-order and late trades', async () => {
    stack = await openLiveStack('vw');
    await ensureTopics(stack.kafka, [stack.topics.trades], 1);
    const symbol = `V${process.pid}`;
    let n = 0;
    const t = (iso: string, quantity: number, price: number): Trade => ({
      trade_id: `vw-${++n}`,
      event_time: new Date(`2026-03-02T${iso}Z`),
      symbol,
      side: 'BUY',
      quantity,
      price,
      notional: quantity * price,
    });
    await sendTrades(
      stack.producer,
      [
        t('14:30:00.000', 100, 10), // the window's opening edge belongs to [14:30, 14:35)
        t('14:32:00.000', 300, 12),
        t('14:35:00.000', 50, 20), // the closing edge opens the next window
        t('14:34:59.000', 200, 11), // 1 s out of order: still counted
        t('14:35:12.000', 10, 21), // watermark 14:35:02 closes [14:30, 14:35)
        t('14:34:58.000', 1000, 99), // 14 s behind the newest trade, window closed: late, dropped
      ],
      stack.topics,
    );
    worker = new VwapWorker({
      kafka: stack.kafka,
      clickhouse: stack.clickhouse,
      redis: stack.redis,
      tables: stack.tables,
      topic: stack.topics.trades,
      groupId: `${stack.prefix}-vwap`,
      tickMs: 200,
    });
    await worker.start();

    const row = await waitFor('the closed window in metrics.vwap_5min', async () => {
      const rs = await stack.clickhouse.query({
        query: `SELECT symbol, window_end, toString(vwap) AS vwap, toString(volume) AS volume, trade_count,
                       toString(spread_bps) AS spread_bps
                FROM ${stack.tables.vwap5min} FINAL WHERE symbol = {s:String}`,
        query_params: { s: symbol },
        format: 'JSONEachRow',
      });
      return (await rs.json())[0];
    });
    // (100·10 + 300·12 + 200·11) / 600 = 6800 / 600; spread = (12 − 10) / 10 in bps
    expect(row).toEqual({
      symbol,
      window_end: '2026-03-02 14:35:00.000',
      vwap: (6800 / 600).toFixed(6).replace(/0+$/, ''),
      volume: '600',
      trade_count: 3,
      spread_bps: '2000',
    });
    expect(worker.lateTrades).toBe(1);
    expect(await stack.redis.hgetall(`latest:vwap:${symbol}`)).toMatchObject({
      vwap: (6800 / 600).toFixed(6),
      trade_count: '3',
      window_end: '2026-03-02T14:35:00.000Z',
    });
    await stack.redis.del(`latest:vwap:${symbol}`);
  });
});
