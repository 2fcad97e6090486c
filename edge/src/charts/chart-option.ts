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
      const times = columnValues(data, 'time').map((t) => formatTimestamp(String(t)));
      // ECharts orders candle values open, close, low, high.
      const candles = {
        type: 'candlestick' as const,
        name: 'price',
        data: open!.map((o, i) => [o, close![i], low![i], high![i]]),
      };
      const priceAxis = { type: 'value' as const, scale: true, axisLabel: { formatter: formatAxisNumber } };
      const timeAxis = { type: 'category' as const, data: times, axisLabel: { hideOverlap: true } };
      const tooltip = {
        trigger: 'axis' as const,
        valueFormatter: valueFormatter(typeOf(data, 'close')) as never,
      };
      if (columnIndex(data, 'volume') < 0) {
        return { ...base, tooltip, xAxis: timeAxis, yAxis: priceAxis, series: [candles] };
      }
      // Volume bars in a short pane under the candles, on the same time axis (zooming one moves both).
      return {
        ...base,
        tooltip,
        axisPointer: { link: [{ xAxisIndex: 'all' }] },
        grid: [
          { left: 56, right: 24, top: 24, bottom: '32%' },
          { left: 56, right: 24, height: '18%', bottom: 32 },
        ],
        xAxis: [
          { ...timeAxis, gridIndex: 0, axisLabel: { show: false } },
          { ...timeAxis, gridIndex: 1 },
        ],
        yAxis: [
          { ...priceAxis, gridIndex: 0 },
          { type: 'value', gridIndex: 1, splitNumber: 2, axisLabel: { formatter: formatAxisNumber } },
        ],
        series: [
          candles,
          {
            type: 'bar',
            name: 'volume',
            xAxisIndex: 1,
            yAxisIndex: 1,
            data: columnValues(data, 'volume').map(num),
            itemStyle: { color: '#94a3b8' },
          },
        ],
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

function formatKpiValue(config: Record<string, unknown>, value: number | null): string {
  if (value === null) return '—';
  if (config.format === 'currency')
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(value);
  if (config.format === 'percent')
    return new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 2 }).format(value);
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value);
}

/** Headline text of a KPI node: the first row's value (with a trend, the engine puts the latest period first). */
export const kpiText = (config: Record<string, unknown>, data: ChartData): string =>
  formatKpiValue(config, num(columnValues(data, config.value)[0]));

const relative = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

export interface KpiTrend {
  /** Change from the period before the latest: the value's units, and relative (null when that period was 0). */
  delta: number;
  /** "+$200.00 (+20%)": the sign, the change in the value's format and, unless the period before was 0, in percent. */
  deltaText: string;
  /** Values oldest → newest, for the sparkline (nulls dropped). */
  points: number[];
  /** The latest and the previous period, as the trend column prints them. */
  latest: string;
  previous: string;
}

/**
 * A KPI with a `trend` column gets its rows newest period first: the change is the latest value minus the one
 * before, and the sparkline draws them left (oldest) to right. Null without a trend or with fewer than two periods.
 */
export function kpiTrend(config: Record<string, unknown>, data: ChartData): KpiTrend | null {
  if (typeof config.trend !== 'string' || data.rows.length < 2) return null;
  const values = columnValues(data, config.value).map(num);
  const periods = columnValues(data, config.trend);
  const [latest, previous] = values;
  if (latest === null || latest === undefined || previous === null || previous === undefined) return null;
  const delta = latest - previous;
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  const trendType = typeOf(data, config.trend);
  const percent = previous === 0 ? '' : ` (${sign}${relative.format(Math.abs(delta / previous))})`;
  return {
    delta,
    deltaText: sign + formatKpiValue(config, Math.abs(delta)) + percent,
    points: values.filter((v): v is number => v !== null).reverse(),
    latest: formatCell(periods[0], trendType),
    previous: formatCell(periods[1], trendType),
  };
}

/** The KPI's label: the label column's value when the node names one. */
export function kpiLabel(config: Record<string, unknown>, data: ChartData): string | null {
  if (typeof config.label !== 'string') return null;
  const value = columnValues(data, config.label)[0];
  return value === undefined || value === null ? config.label : String(value);
}
