import { BarChart, CandlestickChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendScrollComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';
import { chartOption, type ChartData } from './chart-option.ts';

// Every chart type the app draws, with the components `chartOption` gives them: the server renders all of them, so
// the registrations the browser loads per type (web/src/charts/echarts/kinds.ts) are here at once.
echarts.use([
  BarChart,
  LineChart,
  CandlestickChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendScrollComponent,
  SVGRenderer,
]);

// ECharts' development build (what `wrangler dev` and the workerd tests bundle: NODE_ENV is not `production` there)
// reads Node's `global` when a chart is created, and workerd has only `globalThis`.
(globalThis as { global?: unknown }).global ??= globalThis;

export type ChartTheme = 'light' | 'dark';

export interface ChartSize {
  width: number;
  height: number;
}

/** A hover target's diameter in pixels. */
const TARGET_SIZE = 12;
/** Targets closer than this many pixels apart cannot be told apart by a pointer: denser lines get every k-th point. */
const TARGET_SPACING = 4;

/**
 * Lines are drawn without symbols, so the SVG has no element per point for a pointer to land on: they get
 * transparent symbols (the line looks the same) that carry the point's series and data index (`ecmeta_*` attributes),
 * which the embed page turns into a tooltip. A line with more points than the frame has room for gets a target on
 * every k-th point only, so a 5 000-row chart does not carry 5 000 invisible shapes.
 */
function withPointTargets(option: EChartsOption, width: number): EChartsOption {
  const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
  const room = Math.max(1, Math.floor(width / TARGET_SPACING));
  return {
    ...option,
    series: series.map((s) => {
      if (s.type !== 'line') return s;
      const stride = Math.ceil((Array.isArray(s.data) ? s.data.length : 0) / room) || 1;
      return {
        ...s,
        showSymbol: true,
        showAllSymbol: true,
        symbol:
          stride === 1
            ? 'circle'
            : (_: unknown, p: { dataIndex: number }) => (p.dataIndex % stride ? 'none' : 'circle'),
        symbolSize: TARGET_SIZE,
        itemStyle: { opacity: 0 },
      };
    }) as EChartsOption['series'],
  };
}

/**
 * A chart as an SVG document: the option the app's ECharts canvas draws (`chartOption`, one implementation for the
 * canvas preview, dashboards and embeds), rendered by ECharts' server-side SVG renderer at the frame's size in the
 * app's palette. `ssr: true` marks each data element with its series and data index and puts the hover emphasis in
 * the SVG's own CSS, so the page needs no ECharts to give hover feedback. Null for a type that is not an ECharts chart.
 */
export function renderChartSvg(
  type: string,
  config: Record<string, unknown>,
  data: ChartData,
  { width, height }: ChartSize,
  theme: ChartTheme,
): string | null {
  const option = chartOption(type, config, data);
  if (!option) return null;
  const chart = echarts.init(null, theme, { renderer: 'svg', ssr: true, width, height });
  try {
    // The frame paints the background, as the app's container does.
    chart.setOption({ backgroundColor: 'transparent', ...withPointTargets(option, width) });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
