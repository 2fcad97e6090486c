import type { EChartsOption } from 'echarts';

export interface ChartData {
  columns: readonly { name: string; type: string }[];
  rows: readonly unknown[][];
}

export const CHART_TYPES = ['bar_chart', 'line_chart', 'candlestick', 'scatter', 'kpi', 'pivot'] as const;
export const isChartType = (type: string): boolean => (CHART_TYPES as readonly string[]).includes(type);

function columnValues(data: ChartData, name: unknown): unknown[] {
  const index = data.columns.findIndex((c) => c.name === name);
  return index < 0 ? [] : data.rows.map((r) => r[index]);
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * ECharts options for a chart node, built from the rows the engine shaped for it: one function used by the canvas
 * preview, dashboards and embeds so a chart looks the same everywhere.
 */
export function chartOption(
  type: string,
  config: Record<string, unknown>,
  data: ChartData,
): EChartsOption | null {
  const base: EChartsOption = {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 56, right: 24, top: 36, bottom: 40 },
  };
  switch (type) {
    case 'bar_chart':
    case 'line_chart': {
      const ys = Array.isArray(config.y) ? (config.y as string[]) : [];
      const kind = type === 'bar_chart' ? 'bar' : 'line';
      const xs = columnValues(data, config.x).map(String);
      if (typeof config.series === 'string' && config.series !== '') {
        // Long format (x, series, y): one ECharts series per distinct series value, aligned on the x categories.
        const categories = [...new Set(xs)];
        const seriesValues = columnValues(data, config.series).map(String);
        const yValues = columnValues(data, ys[0]);
        const groups = new Map<string, (number | null)[]>();
        xs.forEach((x, i) => {
          const key = seriesValues[i]!;
          const line = groups.get(key) ?? categories.map(() => null);
          line[categories.indexOf(x)] = num(yValues[i]);
          groups.set(key, line);
        });
        return {
          ...base,
          legend: { top: 4 },
          xAxis: { type: 'category', data: categories },
          yAxis: { type: 'value', scale: kind === 'line' },
          series: [...groups].map(([name, values]) => ({
            name,
            type: kind,
            data: values,
            showSymbol: false,
          })),
        };
      }
      return {
        ...base,
        legend: { top: 4 },
        xAxis: { type: 'category', data: xs },
        yAxis: { type: 'value', scale: kind === 'line' },
        series: ys.map((y) => ({
          name: y,
          type: kind,
          data: columnValues(data, y).map(num),
          showSymbol: false,
        })),
      };
    }
    case 'candlestick': {
      const [open, close, low, high] = ['open', 'close', 'low', 'high'].map((k) =>
        columnValues(data, config[k]).map(num),
      );
      return {
        ...base,
        xAxis: { type: 'category', data: columnValues(data, config.time).map(String) },
        yAxis: { type: 'value', scale: true },
        // ECharts orders candle values open, close, low, high.
        series: [{ type: 'candlestick', data: open!.map((o, i) => [o, close![i], low![i], high![i]]) }],
      };
    }
    case 'scatter': {
      const xs = columnValues(data, config.x).map(num);
      const ys = columnValues(data, config.y).map(num);
      const sizes = config.size ? columnValues(data, config.size).map(num) : [];
      const max = Math.max(1, ...sizes.map((s) => s ?? 0));
      return {
        ...base,
        tooltip: { trigger: 'item' },
        xAxis: { type: 'value', scale: true, name: String(config.x ?? '') },
        yAxis: { type: 'value', scale: true, name: String(config.y ?? '') },
        series: [
          {
            type: 'scatter',
            data: xs.map((x, i) => [x, ys[i]]),
            symbolSize: (_v: unknown, p: { dataIndex: number }) =>
              sizes.length ? 4 + 20 * ((sizes[p.dataIndex] ?? 0) / max) : 8,
          },
        ],
      };
    }
    default:
      return null;
  }
}

/** Headline text of a KPI node. */
export function kpiText(config: Record<string, unknown>, data: ChartData): string {
  const value = num(columnValues(data, config.value)[0]);
  if (value === null) return '—';
  if (config.format === 'currency')
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(value);
  if (config.format === 'percent')
    return new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 2 }).format(value);
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value);
}
