import { BarChart, CandlestickChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { EChartsOption } from 'echarts';

// Only the chart types FlowForge draws: the full ECharts build would triple the chart bundle.
echarts.use([
  BarChart,
  LineChart,
  CandlestickChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** The ECharts canvas, filling its container and redrawn when the container resizes (echarts-for-react observes it). */
export function EChart({
  option,
  theme,
  onRendered,
}: {
  option: EChartsOption;
  theme: 'light' | 'dark';
  onRendered?: () => void;
}) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      // The container paints the background, so both palettes sit on the page's (or the embed's) own colour.
      option={{ backgroundColor: 'transparent', ...option }}
      theme={theme}
      style={{ height: '100%', width: '100%' }}
      notMerge
      opts={{ renderer: 'canvas' }}
      onChartReady={onRendered}
    />
  );
}
