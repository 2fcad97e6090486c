import type { EChartsOption } from 'echarts';
import { formatAxisNumber, formatCell, formatTimestamp, isTimeType } from './format.ts';

/** The one contract every chart takes: the engine's result columns and rows, plus the output node's config. */
export interface ChartData {
  columns: readonly { name: string; type: string }[];
  rows: readonly unknown[][];
}

export const CHART_TYPES = ['bar_chart', 'line_chart', 'candlestick', 'scatter', 'kpi', 'pivot'] as const;
export const isChartType = (type: string): boolean => (CHART_TYPES as readonly string[]).includes(type);
/** Output nodes a dashboard can pin: the charts and the Table View. */
export const isOutputType = (type: string): boolean => isChartType(type) || type === 'table_view';

const columnIndex = (data: ChartData, name: unknown) => data.columns.findIndex((c) => c.name === name);
function columnValues(data: ChartData, name: unknown): unknown[] {
  const index = columnIndex(data, name);
  return index < 0 ? [] : data.rows.map((r) => r[index]);
}
const typeOf = (data: ChartData, name: unknown) => data.columns[columnIndex(data, name)]?.type ?? 'string';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Tooltip numbers with the grid's decimals, so a hover reads like the Data tab. */
const valueFormatter = (type: string) => (value: unknown) =>
  Array.isArray(value) ? value.map((v) => formatCell(v, type)).join(', ') : formatCell(value, type);

function xAxisFor(data: ChartData, x: unknown, categories: string[]): EChartsOption['xAxis'] {
  return isTimeType(typeOf(data, x))
    ? { type: 'time' }
    : { type: 'category', data: categories, axisLabel: { hideOverlap: true } };
}

/**
 * ECharts options for a chart node, built from the rows the engine shaped for it: one function used by the canvas
 * preview, dashboards and embeds so a chart looks the same everywhere. Time columns get a time axis (tooltips show the
 * full timestamp), numbers short axis labels and full tooltip values.
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
      const time = isTimeType(typeOf(data, config.x));
      const rawXs = columnValues(data, config.x);
      const xs = rawXs.map((x) => (time ? formatTimestamp(String(x)) : String(x)));
      const yAxis: EChartsOption['yAxis'] = {
        type: 'value',
        scale: kind === 'line',
        axisLabel: { formatter: formatAxisNumber },
      };
      const tooltip = {
        trigger: 'axis' as const,
        valueFormatter: valueFormatter(typeOf(data, ys[0])) as (v: unknown) => string,
      };
      // A time axis takes [x, y] pairs; a category axis takes values aligned on its categories.
      const point = (i: number, y: number | null) => (time ? [rawXs[i], y] : y);
      if (typeof config.series === 'string' && config.series !== '') {
        // Long format (x, series, y): one ECharts series per distinct series value.
        const categories = [...new Set(xs)];
        const seriesValues = columnValues(data, config.series).map(String);
        const yValues = columnValues(data, ys[0]);
        const groups = new Map<string, unknown[]>();
        xs.forEach((x, i) => {
          const key = seriesValues[i]!;
          const line = groups.get(key) ?? (time ? [] : categories.map(() => null));
          if (time) line.push(point(i, num(yValues[i])));
          else line[categories.indexOf(x)] = num(yValues[i]);
          groups.set(key, line);
        });
        return {
          ...base,
          tooltip,
          legend: { top: 4, type: 'scroll' },
          xAxis: xAxisFor(data, config.x, categories),
          yAxis,
          series: [...groups].map(([name, values]) => ({
            name,
            type: kind,
            data: values,
            showSymbol: false,
          })) as EChartsOption['series'],
        };
      }
      return {
        ...base,
        tooltip,
        legend: { top: 4, type: 'scroll' },
        xAxis: xAxisFor(data, config.x, xs),
        yAxis,
        series: ys.map((y) => ({
          name: y,
          type: kind,
          data: columnValues(data, y).map((v, i) => point(i, num(v))),
          showSymbol: false,
        })) as EChartsOption['series'],
      };
    }
    case 'candlestick': {
      // The engine names the candle columns time, open, high, low, close whatever the source columns are.
      const [open, close, low, high] = ['open', 'close', 'low', 'high'].map((k) =>
        columnValues(data, k).map(num),
      );
      return {
        ...base,
        tooltip: { trigger: 'axis', valueFormatter: valueFormatter(typeOf(data, 'close')) as never },
        xAxis: {
          type: 'category',
          data: columnValues(data, 'time').map((t) => formatTimestamp(String(t))),
          axisLabel: { hideOverlap: true },
        },
        yAxis: { type: 'value', scale: true, axisLabel: { formatter: formatAxisNumber } },
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
        xAxis: {
          type: 'value',
          scale: true,
          name: String(config.x ?? ''),
          axisLabel: { formatter: formatAxisNumber },
        },
        yAxis: {
          type: 'value',
          scale: true,
          name: String(config.y ?? ''),
          axisLabel: { formatter: formatAxisNumber },
        },
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

/** The KPI's label: the label column's value when the node names one. */
export function kpiLabel(config: Record<string, unknown>, data: ChartData): string | null {
  if (typeof config.label !== 'string') return null;
  const value = columnValues(data, config.label)[0];
  return value === undefined || value === null ? config.label : String(value);
}
