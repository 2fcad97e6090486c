/** A symbol's latest trade as the embedded simulator (and later the fan-out) publishes it on `/ws/market`. */
export interface Tick {
  symbol: string;
  price: number;
  event_time: string;
}

export interface Quote extends Tick {
  /** Direction of the last move, for the green/red flash. */
  change: 'up' | 'down' | 'flat';
}

/** Folds one WebSocket message into the board; anything that is not a well-formed tick is ignored. */
export function applyTick(board: ReadonlyMap<string, Quote>, message: string): ReadonlyMap<string, Quote> {
  let tick: unknown;
  try {
    tick = JSON.parse(message);
  } catch {
    return board;
  }
  if (typeof tick !== 'object' || tick === null) return board;
  const t = tick as Partial<Tick> & { type?: string };
  if (
    t.type !== 'tick' ||
    typeof t.symbol !== 'string' ||
    typeof t.price !== 'number' ||
    typeof t.event_time !== 'string'
  ) {
    return board;
  }
  const previous = board.get(t.symbol);
  const change = !previous || previous.price === t.price ? 'flat' : t.price > previous.price ? 'up' : 'down';
  const next = new Map(board);
  next.set(t.symbol, { symbol: t.symbol, price: t.price, event_time: t.event_time, change });
  return next;
}
