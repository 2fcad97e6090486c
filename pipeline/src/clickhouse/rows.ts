import { roundTo, type Quote, type Trade } from '../market/index.ts';

/** `2026-01-05 14:30:00.125`: what a DateTime64(3) column parses from JSONEachRow, in the server's UTC. */
export function clickHouseTime(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

/** Decimals go as strings so a JSON float never rounds them on the way. */
export function tradeRow(t: Trade) {
  return {
    trade_id: t.trade_id,
    event_time: clickHouseTime(t.event_time),
    symbol: t.symbol,
    side: t.side,
    quantity: t.quantity.toFixed(4),
    price: t.price.toFixed(6),
    notional: roundTo(t.notional, 4).toFixed(4),
  };
}

export function quoteRow(q: Quote) {
  return {
    symbol: q.symbol,
    event_time: clickHouseTime(q.event_time),
    bid: q.bid.toFixed(6),
    ask: q.ask.toFixed(6),
    bid_size: q.bid_size.toFixed(4),
    ask_size: q.ask_size.toFixed(4),
    mid_price: q.mid_price.toFixed(6),
  };
}
