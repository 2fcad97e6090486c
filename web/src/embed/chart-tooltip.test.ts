import { chartOption } from '@flowforge/edge/charts';
import { describe, expect, it } from 'vitest';
import { tooltipFor } from './chart-tooltip.ts';

const bars = {
  columns: [
    { name: 'symbol', type: 'string' },
    { name: 'vwap', type: 'float64' },
  ],
  rows: [
    ['AAPL', 182.37012],
    ['MSFT', 1410.5],
  ],
};

describe('tooltipFor (the embed chart tooltip)', () => {
  it("names the category and the series' value with the grid's decimals", () => {
    const option = chartOption('bar_chart', { x: 'symbol', y: ['vwap'] }, bars)!;
    expect(tooltipFor(option, 0, 1)).toEqual({ title: 'MSFT', lines: ['vwap: 1,410.50'] });
    expect(tooltipFor(option, 0, 5)).toBeNull();
    expect(tooltipFor(option, 3, 0)).toBeNull();
  });

  it('reads a time axis point as [time, value] and a candle as open, close, low, high', () => {
    const line = chartOption(
      'line_chart',
      { x: 'day', y: ['close'] },
      {
        columns: [
          { name: 'day', type: 'datetime' },
          { name: 'close', type: 'float64' },
        ],
        rows: [['2026-01-02T15:30:00Z', 180.5]],
      },
    )!;
    expect(tooltipFor(line, 0, 0)).toEqual({ title: '2026-01-02 15:30:00', lines: ['close: 180.50'] });
    const candles = chartOption(
      'candlestick',
      {},
      {
        columns: ['time', 'open', 'high', 'low', 'close'].map((name) => ({
          name,
          type: name === 'time' ? 'date' : 'float64',
        })),
        rows: [['2026-01-02', 10, 12, 9, 11.5]],
      },
    )!;
    expect(tooltipFor(candles, 0, 0)).toEqual({
      title: '2026-01-02',
      lines: ['open 10.00', 'close 11.50', 'low 9.00', 'high 12.00'],
    });
  });
});
