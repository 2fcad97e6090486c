import { describe, expect, it } from 'vitest';
import { renderChartSvg } from './svg.ts';

const daily = {
  columns: [
    { name: 'day', type: 'date' },
    { name: 'symbol', type: 'string' },
    { name: 'close', type: 'float64' },
  ],
  rows: [
    ['2026-01-02', 'AAPL', 180.5],
    ['2026-01-02', 'MSFT', 410.25],
    ['2026-01-03', 'AAPL', 182],
    ['2026-01-03', 'MSFT', 405.75],
    ['2026-01-04', 'AAPL', 179.25],
    ['2026-01-04', 'MSFT', 401],
  ],
};
const size = { width: 600, height: 300 };
const targets = (svg: string) =>
  [...svg.matchAll(/ecmeta_series_index="(\d+)" ecmeta_data_index="(\d+)" ecmeta_ssr_type="chart"/g)].map(
    (m) => `${m[1]}:${m[2]}`,
  );

describe('renderChartSvg', () => {
  it('draws a line per series with a transparent hover target per point, indexed like the option', () => {
    const svg = renderChartSvg(
      'line_chart',
      { x: 'day', y: ['close'], series: 'symbol' },
      daily,
      size,
      'light',
    )!;
    expect(svg).toMatch(/^<svg width="600" height="300" /);
    expect(targets(svg)).toEqual(['0:0', '0:1', '0:2', '1:0', '1:1', '1:2']);
    expect(svg.match(/ecmeta_ssr_type="chart"[^>]*class/g)?.length).toBe(6);
    // The targets are invisible until hovered; the legend names both series.
    expect(svg).toContain('fill-opacity="0"');
    expect(svg).toContain('>AAPL</text>');
    expect(svg).toContain('>MSFT</text>');
  });

  it('puts a target on every k-th point of a line denser than the frame has room for (one per 4 px)', () => {
    const dense = {
      columns: daily.columns.filter((c) => c.name !== 'symbol'),
      rows: Array.from({ length: 1000 }, (_, i) => [
        new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
        100 + (i % 17),
      ]),
    };
    const svg = renderChartSvg(
      'line_chart',
      { x: 'day', y: ['close'] },
      dense,
      { width: 400, height: 200 },
      'light',
    )!;
    // 400 px leave room for 100 targets: every 10th point.
    expect(targets(svg)).toEqual(Array.from({ length: 100 }, (_, i) => `0:${i * 10}`));
  });

  it('draws candles with their volume pane, and each palette its own colours', () => {
    const candles = {
      columns: ['time', 'open', 'high', 'low', 'close', 'volume'].map((name) => ({
        name,
        type: name === 'time' ? 'datetime' : 'float64',
      })),
      rows: [
        ['2026-01-02T00:00:00Z', 10, 12, 9, 11, 1000],
        ['2026-01-03T00:00:00Z', 11, 13, 10, 12.5, 1500],
      ],
    };
    const light = renderChartSvg('candlestick', {}, candles, size, 'light')!;
    // Two candles and two volume bars.
    expect(targets(light).sort()).toEqual(['0:0', '0:1', '1:0', '1:1']);
    const dark = renderChartSvg('candlestick', {}, candles, size, 'dark')!;
    expect(dark).not.toBe(light);
  });

  it('escapes the text it draws and refuses what is not a chart', () => {
    const hostile = {
      columns: [
        { name: 'name', type: 'string' },
        { name: 'v', type: 'int64' },
      ],
      rows: [['<img src=x onerror=alert(1)>', 1]],
    };
    const svg = renderChartSvg('bar_chart', { x: 'name', y: ['v'] }, hostile, size, 'light')!;
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(renderChartSvg('table_view', {}, hostile, size, 'light')).toBeNull();
  });
});
