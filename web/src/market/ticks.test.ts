import { describe, expect, it } from 'vitest';
import { applyTick } from './ticks.ts';

const tick = (symbol: string, price: number) =>
  JSON.stringify({ type: 'tick', symbol, price, event_time: '2026-11-25T20:00:00.000Z', trades: 2 });

describe('applyTick', () => {
  it('keeps the latest price per symbol and the direction of the move', () => {
    let board = applyTick(new Map(), tick('AAPL', 180));
    expect(board.get('AAPL')).toEqual({
      symbol: 'AAPL',
      price: 180,
      event_time: '2026-11-25T20:00:00.000Z',
      change: 'flat',
    });
    board = applyTick(board, tick('AAPL', 181.5));
    expect(board.get('AAPL')!.change).toBe('up');
    board = applyTick(board, tick('MSFT', 420));
    board = applyTick(board, tick('AAPL', 179));
    expect(board.get('AAPL')).toMatchObject({ price: 179, change: 'down' });
    expect([...board.keys()]).toEqual(['AAPL', 'MSFT']);
  });

  it('ignores malformed and foreign messages without losing the board', () => {
    const board = applyTick(new Map(), tick('GS', 420));
    for (const junk of [
      'not json',
      '{"type":"invalidate","widgets":["w1"]}',
      '{"type":"tick","symbol":"GS","price":"420"}',
      'null',
    ]) {
      expect(applyTick(board, junk)).toBe(board);
    }
  });
});
