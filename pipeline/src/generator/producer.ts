import type { Message, Producer } from 'kafkajs';
import type { Quote, Trade } from '../market/index.ts';
import { quoteMessage, tradeMessage, TOPICS, type OrderMessage, type Topics } from '../streams/index.ts';
import type { LiveMarket } from './live-market.ts';

const keyed = (symbol: string, value: unknown): Message => ({ key: symbol, value: JSON.stringify(value) });

/** Sends trades keyed by symbol; resolves when the broker acknowledged every message (acks from all replicas). */
export async function sendTrades(
  producer: Producer,
  trades: readonly Trade[],
  topics: Topics = TOPICS,
): Promise<void> {
  if (trades.length === 0) return;
  await producer.send({
    topic: topics.trades,
    acks: -1,
    messages: trades.map((t) => keyed(t.symbol, tradeMessage(t))),
  });
}

async function sendQuotes(
  producer: Producer,
  quotes: readonly Quote[],
  topics: Topics = TOPICS,
): Promise<void> {
  if (quotes.length === 0) return;
  await producer.send({
    topic: topics.quotes,
    acks: -1,
    messages: quotes.map((q) => keyed(q.symbol, quoteMessage(q))),
  });
}

async function sendOrders(
  producer: Producer,
  orders: readonly OrderMessage[],
  topics: Topics,
): Promise<void> {
  if (orders.length === 0) return;
  await producer.send({ topic: topics.orders, acks: -1, messages: orders.map((o) => keyed(o.symbol, o)) });
}

export type SymbolCounts = Record<string, number>;

const countBySymbol = (trades: readonly Trade[], into: SymbolCounts) => {
  for (const t of trades) into[t.symbol] = (into[t.symbol] ?? 0) + 1;
};

/** `--burst N`: N trades (and a quote per 5 trades) as fast as the broker takes them, in chunks of `chunk`. */
export async function produceBurst(
  producer: Producer,
  market: LiveMarket,
  count: number,
  options: { chunk?: number; onProgress?: (done: number) => void; now?: () => Date; topics?: Topics } = {},
): Promise<SymbolCounts> {
  const chunk = options.chunk ?? 5_000;
  const now = options.now ?? (() => new Date());
  const counts: SymbolCounts = {};
  for (let done = 0; done < count;) {
    const at = now();
    const trades = Array.from({ length: Math.min(chunk, count - done) }, () => market.trade(at));
    const quotes = trades.filter((_, i) => i % 5 === 0).map((t) => market.quote(at, t.symbol));
    await Promise.all([
      sendTrades(producer, trades, options.topics),
      sendQuotes(producer, quotes, options.topics),
    ]);
    countBySymbol(trades, counts);
    done += trades.length;
    options.onProgress?.(done);
  }
  return counts;
}

export interface RateOptions {
  tradesPerSecond: number;
  quotesPerSecond: number;
  ordersPerSecond: number;
  /** How often a tick sends what is due (ms). */
  tickMs?: number;
  signal: AbortSignal;
  topics?: Topics;
  onTick?: (sent: { trades: number; quotes: number; orders: number }) => void;
}

/**
 * Steady rates until `signal` aborts. Each tick sends what the rates owe since the start (fractions carry over), so the
 * long-run rate is exact whatever the tick jitter.
 */
export async function produceAtRates(producer: Producer, market: LiveMarket, o: RateOptions): Promise<void> {
  const started = performance.now();
  const sent = { trades: 0, quotes: 0, orders: 0 };
  const tickMs = o.tickMs ?? 100;
  while (!o.signal.aborted) {
    const elapsed = (performance.now() - started) / 1000;
    const at = new Date();
    const due = (rate: number, done: number) => Math.floor(rate * elapsed) - done;
    const trades = Array.from({ length: due(o.tradesPerSecond, sent.trades) }, () => market.trade(at));
    const quotes = Array.from({ length: due(o.quotesPerSecond, sent.quotes) }, () => market.quote(at));
    const orders = Array.from({ length: due(o.ordersPerSecond, sent.orders) }, () => market.order(at));
    await Promise.all([
      sendTrades(producer, trades, o.topics),
      sendQuotes(producer, quotes, o.topics),
      sendOrders(producer, orders, o.topics ?? TOPICS),
    ]);
    sent.trades += trades.length;
    sent.quotes += quotes.length;
    sent.orders += orders.length;
    o.onTick?.(sent);
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
}
