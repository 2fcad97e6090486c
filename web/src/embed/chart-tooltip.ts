import { formatTimestamp } from '@flowforge/edge/charts/format';
import type { EChartsOption } from 'echarts';

export interface TooltipContent {
  /** The point's x: its category, or its time. */
  title: string;
  /** `series name: value`, one per line. */
  lines: string[];
}

type Formatter = (value: unknown) => string;
type Series = { name?: unknown; type?: unknown; data?: unknown[] };

const listOf = <T>(value: T | T[] | undefined): T[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/**
 * What the app's ECharts tooltip says about one hovered point, read from the same option the edge drew the SVG from
 * (`chartOption`): the category or time, then the series name and its value with the option's tooltip formatter (the
 * data grid's decimals). Candles list open, close, low and high. Null when the indexes name no point.
 */
export function tooltipFor(
  option: EChartsOption,
  seriesIndex: number,
  dataIndex: number,
): TooltipContent | null {
  const series = listOf(option.series as Series | Series[] | undefined)[seriesIndex];
  const point = series?.data?.[dataIndex];
  if (!series || point === undefined) return null;
  const tooltip = listOf(option.tooltip as { valueFormatter?: Formatter } | undefined)[0];
  const format: Formatter = tooltip?.valueFormatter ?? ((v) => (v === null ? '–' : String(v)));
  const axis = listOf(option.xAxis as { data?: unknown[] } | undefined)[0];
  const category = axis?.data?.[dataIndex];
  const name = typeof series.name === 'string' ? series.name : '';

  if (series.type === 'candlestick' && Array.isArray(point)) {
    const [open, close, low, high] = point as unknown[];
    return {
      title: String(category ?? ''),
      lines: [`open ${format(open)}`, `close ${format(close)}`, `low ${format(low)}`, `high ${format(high)}`],
    };
  }
  if (series.type === 'scatter' && Array.isArray(point)) {
    const [x, y] = point as unknown[];
    return { title: `${format(x)}, ${format(y)}`, lines: [] };
  }
  // A time axis takes [time, value] pairs; a category axis takes values aligned on its categories.
  const [title, value] =
    Array.isArray(point) && category === undefined
      ? [formatTimestamp(String(point[0])), point[1]]
      : [String(category ?? ''), point];
  return { title, lines: [name ? `${name}: ${format(value)}` : format(value)] };
}
