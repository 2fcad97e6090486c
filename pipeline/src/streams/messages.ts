import { roundTo, type Quote, type Trade } from '../market/index.ts';

/**
 * Plan §7 topics; every message is JSON keyed by its symbol, so one symbol's events stay in order in one partition.
 * A prefix gives tests and benches their own topics on the shared broker.
 */
export const topicNames = (prefix = '') => ({
  trades: `${prefix}raw.trades`,
  quotes: `${prefix}raw.quotes`,
  orders: `${prefix}raw.orders`,
});
export type Topics = ReturnType<typeof topicNames>;
export const TOPICS: Topics = topicNames(process.env.KAFKA_TOPIC_PREFIX ?? '');

export interface TradeMessage {
  trade_id: string;
  event_time: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: number;
}

export interface QuoteMessage {
  symbol: string;
  event_time: string;
  bid: number;
  ask: number;
  bid_size: number;
  ask_size: number;
}

export interface OrderMessage {
  order_id: string;
  event_time: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: number;
  status: 'NEW' | 'FILLED' | 'CANCELLED';
}

export const tradeMessage = (t: Trade): TradeMessage => ({
  trade_id: t.trade_id,
  event_time: t.event_time.toISOString(),
  symbol: t.symbol,
  side: t.side,
  quantity: t.quantity,
  price: t.price,
});

export const quoteMessage = (q: Quote): QuoteMessage => ({
  symbol: q.symbol,
  event_time: q.event_time.toISOString(),
  bid: q.bid,
  ask: q.ask,
  bid_size: q.bid_size,
  ask_size: q.ask_size,
});

export class InvalidMessage extends Error {}

const SYMBOL = /^[A-Z][A-Z0-9.]{0,15}$/;

function field<T>(value: unknown, ok: (v: unknown) => boolean, name: string): T {
  if (!ok(value)) throw new InvalidMessage(`${name} is missing or invalid`);
  return value as T;
}
const isText = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 128;
const isSymbol = (v: unknown) => typeof v === 'string' && SYMBOL.test(v);
const isPositive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isSide = (v: unknown) => v === 'BUY' || v === 'SELL';

function parseTime(v: unknown): Date {
  const at = new Date(field<string>(v, isText, 'event_time'));
  if (Number.isNaN(at.getTime())) throw new InvalidMessage('event_time is not a timestamp');
  return at;
}

function parseObject(raw: Buffer | string | null): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw === null ? 'null' : raw.toString());
  } catch {
    throw new InvalidMessage('not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InvalidMessage('not a JSON object');
  return value as Record<string, unknown>;
}

/** Schema enforcement happens at the consumer (plan §7): a malformed message throws InvalidMessage. */
export function parseTrade(raw: Buffer | string | null): Trade {
  const m = parseObject(raw);
  const quantity = field<number>(m.quantity, isPositive, 'quantity');
  const price = field<number>(m.price, isPositive, 'price');
  return {
    trade_id: field<string>(m.trade_id, isText, 'trade_id'),
    event_time: parseTime(m.event_time),
    symbol: field<string>(m.symbol, isSymbol, 'symbol'),
    side: field<'BUY' | 'SELL'>(m.side, isSide, 'side'),
    quantity,
    price,
    notional: roundTo(quantity * price, 4),
  };
}

export function parseQuote(raw: Buffer | string | null): Quote {
  const m = parseObject(raw);
  const bid = field<number>(m.bid, isPositive, 'bid');
  const ask = field<number>(m.ask, isPositive, 'ask');
  return {
    symbol: field<string>(m.symbol, isSymbol, 'symbol'),
    event_time: parseTime(m.event_time),
    bid,
    ask,
    bid_size: field<number>(m.bid_size, isPositive, 'bid_size'),
    ask_size: field<number>(m.ask_size, isPositive, 'ask_size'),
    mid_price: roundTo((bid + ask) / 2, 6),
  };
}
