import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Chart } from './Chart.tsx';
import { chartOption, type ChartData } from '@flowforge/edge/charts';

const SERIES: ChartData = {
  columns: [
    { name: 'day', type: 'datetime' },
    { name: 'symbol', type: 'string' },
    { name: 'close', type: 'decimal(18,6)' },
  ],
  rows: [
    ['2026-01-05T00:00:00.000Z', 'AAPL', '190.5'],
    ['2026-01-05T00:00:00.000Z', 'MSFT', '410.25'],
    ['2026-01-06T00:00:00.000Z', 'AAPL', '191'],
    ['2026-01-06T00:00:00.000Z', 'MSFT', '409.75'],
  ],
};
const TOTALS: ChartData = {
  columns: [
    { name: 'symbol', type: 'string' },
    { name: 'volume', type: 'float64' },
  ],
  rows: [
    ['AAPL', 1200],
    ['MSFT', 800.5],
  ],
};
const CANDLES: ChartData = {
  columns: ['time', 'open', 'high', 'low', 'close'].map((name, i) => ({
    name,
    type: i === 0 ? 'datetime' : 'float64',
  })),
  rows: [
    ['2026-01-05T14:00:00.000Z', 10, 12, 9, 11],
    ['2026-01-05T15:00:00.000Z', 11, 13, 10, 12.5],
  ],
};
const POINTS: ChartData = {
  columns: [
    { name: 'price', type: 'float64' },
    { name: 'quantity', type: 'float64' },
  ],
  rows: [
    [100, 5],
    [101.5, 7],
  ],
};
const KPI: ChartData = { columns: [{ name: 'volume', type: 'float64' }], rows: [[1234567.891]] };

/** Every output type of the set with a config and rows the engine would shape for it. */
const CASES: { type: string; config: Record<string, unknown>; data: ChartData }[] = [
  { type: 'bar_chart', config: { x: 'symbol', y: ['volume'] }, data: TOTALS },
  { type: 'line_chart', config: { x: 'day', y: ['close'], series: 'symbol' }, data: SERIES },
  {
    type: 'candlestick',
    config: { time: 'hour', open: 'o', high: 'h', low: 'l', close: 'c' },
    data: CANDLES,
  },
  { type: 'scatter', config: { x: 'price', y: 'quantity' }, data: POINTS },
  { type: 'kpi', config: { value: 'volume' }, data: KPI },
  { type: 'pivot', config: { rows: ['symbol'], columns: [], values: [] }, data: TOTALS },
  { type: 'table_view', config: {}, data: TOTALS },
];

describe('Chart: one set, the same states for every output type', () => {
  it.each(CASES)('$type: shows a skeleton, then the data', async ({ type, config, data }) => {
    const onRendered = vi.fn();
    const { rerender } = render(<Chart type={type} config={config} />);
    expect(screen.getByTestId('chart-loading')).toBeTruthy();
    rerender(<Chart type={type} config={config} data={data} onRendered={onRendered} />);
    if (type === 'kpi') {
      expect(screen.getByTestId('kpi-value').textContent).toBe('1,234,567.89');
    } else if (type === 'pivot' || type === 'table_view') {
      // jsdom has no layout, so the virtualized rows are not measured: the grid's shape is what it can check.
      expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('2');
      expect(screen.getAllByRole('columnheader').map((h) => h.firstChild?.textContent)).toEqual([
        'symbol',
        'volume',
      ]);
    } else {
      // The ECharts canvas loads lazily into the sized container.
      expect(screen.getByTestId('chart')).toBeTruthy();
      await waitFor(() => expect(screen.getByTestId('chart').querySelector('div, canvas')).toBeTruthy());
    }
    if (type === 'kpi' || type === 'pivot' || type === 'table_view') expect(onRendered).toHaveBeenCalled();
  });

  it.each(CASES)('$type: says there are no rows for these filters', ({ type, config, data }) => {
    const onRendered = vi.fn();
    render(<Chart type={type} config={config} data={{ ...data, rows: [] }} onRendered={onRendered} />);
    expect(screen.getByTestId('chart-empty').textContent).toBe('No rows for these filters.');
    expect(onRendered).toHaveBeenCalled();
  });

  it.each(CASES)("$type: shows the API's error message", ({ type, config, data }) => {
    render(<Chart type={type} config={config} data={data} error="Query timed out after 3 s" />);
    expect(screen.getByTestId('chart-error').textContent).toContain('Query timed out after 3 s');
    expect(screen.queryByTestId('chart')).toBeNull();
  });
});

// A KPI with a trend: the engine returns the latest periods newest first.
const DAILY: ChartData = {
  columns: [
    { name: 'total', type: 'float64' },
    { name: 'day', type: 'date' },
  ],
  rows: [
    [1200, '2026-01-07'],
    [1000, '2026-01-06'],
    [1500, '2026-01-05'],
  ],
};

describe('KPI tile', () => {
  it('shows the latest value, its change from the period before and a sparkline oldest → newest', () => {
    render(<Chart type="kpi" config={{ value: 'total', trend: 'day', format: 'currency' }} data={DAILY} />);
    expect(screen.getByTestId('kpi-value').textContent).toBe('$1,200.00');
    const delta = screen.getByTestId('kpi-delta');
    expect(delta.textContent).toBe('+$200.00 (+20%) vs previous period');
    expect(delta.getAttribute('title')).toBe('2026-01-07 vs 2026-01-06');
    expect(delta.className).toContain('emerald');
    // 1500 (oldest, the top) → 1000 (the bottom) → 1200, on a 120 × 32 box.
    expect(screen.getByTestId('kpi-sparkline').querySelector('polyline')!.getAttribute('points')).toBe(
      '0.0,0.0 60.0,32.0 120.0,19.2',
    );
  });

  it('shows a fall in red, and no percentage when the previous period was 0', () => {
    const { rerender } = render(
      <Chart
        type="kpi"
        config={{ value: 'total', trend: 'day' }}
        data={{ ...DAILY, rows: DAILY.rows.slice(1) }}
      />,
    );
    expect(screen.getByTestId('kpi-delta').textContent).toBe('−500 (−33.3%) vs previous period');
    expect(screen.getByTestId('kpi-delta').className).toContain('red');
    rerender(
      <Chart
        type="kpi"
        config={{ value: 'total', trend: 'day' }}
        data={{
          ...DAILY,
          rows: [
            [5, '2026-01-07'],
            [0, '2026-01-06'],
          ],
        }}
      />,
    );
    expect(screen.getByTestId('kpi-delta').textContent).toBe('+5 vs previous period');
  });

  it('shows no change line without a trend column or with a single period', () => {
    const { rerender } = render(<Chart type="kpi" config={{ value: 'total' }} data={DAILY} />);
    expect(screen.getByTestId('kpi-value').textContent).toBe('1,200');
    expect(screen.queryByTestId('kpi-delta')).toBeNull();
    rerender(
      <Chart
        type="kpi"
        config={{ value: 'total', trend: 'day' }}
        data={{ ...DAILY, rows: DAILY.rows.slice(0, 1) }}
      />,
    );
    expect(screen.queryByTestId('kpi-delta')).toBeNull();
    expect(screen.queryByTestId('kpi-sparkline')).toBeNull();
  });
});

describe('chartOption', () => {
  it('draws a time axis with one series per symbol for a multi-series line', () => {
    const option = chartOption('line_chart', { x: 'day', y: ['close'], series: 'symbol' }, SERIES)!;
    expect(option.xAxis).toEqual({ type: 'time' });
    const series = option.series as { name: string; data: unknown[] }[];
    expect(series.map((s) => s.name)).toEqual(['AAPL', 'MSFT']);
    expect(series[0]!.data).toEqual([
      ['2026-01-05T00:00:00.000Z', 190.5],
      ['2026-01-06T00:00:00.000Z', 191],
    ]);
  });

  it('draws bars on a category axis, aligned on the categories', () => {
    const option = chartOption('bar_chart', { x: 'symbol', y: ['volume'] }, TOTALS)!;
    expect(option.xAxis).toMatchObject({ type: 'category', data: ['AAPL', 'MSFT'] });
    expect((option.series as { data: unknown[] }[])[0]!.data).toEqual([1200, 800.5]);
  });

  it("reads candles from the engine's output names, whatever the source columns were", () => {
    const option = chartOption(
      'candlestick',
      { time: 'hour', open: 'o', high: 'h', low: 'l', close: 'c' },
      CANDLES,
    )!;
    // ECharts orders a candle open, close, low, high.
    expect((option.series as { data: unknown[] }[])[0]!.data).toEqual([
      [10, 11, 9, 12],
      [11, 12.5, 10, 13],
    ]);
    expect((option.xAxis as { data: string[] }).data[0]).toBe('2026-01-05 14:00:00.000');
  });

  it('draws volume bars in a pane under the candles when the node names a volume column', () => {
    const withVolume: ChartData = {
      columns: [...CANDLES.columns, { name: 'volume', type: 'int64' }],
      rows: CANDLES.rows.map((r, i) => [...r, [1500, 900][i]]),
    };
    const option = chartOption(
      'candlestick',
      { time: 'hour', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v' },
      withVolume,
    )!;
    const series = option.series as {
      type: string;
      data: unknown[];
      xAxisIndex?: number;
      yAxisIndex?: number;
    }[];
    expect(series.map((s) => s.type)).toEqual(['candlestick', 'bar']);
    expect(series[1]).toMatchObject({ data: [1500, 900], xAxisIndex: 1, yAxisIndex: 1 });
    expect((option.grid as unknown[]).length).toBe(2);
    // Without a volume column there is one pane.
    expect(Array.isArray(chartOption('candlestick', {}, CANDLES)!.grid)).toBe(false);
  });

  it('plots scatter points as [x, y]', () => {
    const option = chartOption('scatter', { x: 'price', y: 'quantity' }, POINTS)!;
    expect((option.series as { data: unknown[] }[])[0]!.data).toEqual([
      [100, 5],
      [101.5, 7],
    ]);
  });
});
