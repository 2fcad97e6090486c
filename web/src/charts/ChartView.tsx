import { BarChart, CandlestickChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { DataGrid } from '../preview/DataGrid.tsx';
import { chartOption, kpiText, type ChartData } from './chart-option.ts';

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

/** Renders a chart node's data; pivots are tables by nature, KPIs one big number. */
export function ChartView({
  type,
  config,
  data,
  height = 280,
}: {
  type: string;
  config: Record<string, unknown>;
  data: ChartData;
  height?: number;
}) {
  if (data.rows.length === 0) return <p className="p-4 text-sm text-slate-500">No rows to chart.</p>;
  if (type === 'kpi') {
    return (
      <div className="flex flex-col items-center justify-center p-6" data-testid="kpi">
        <span className="text-4xl font-bold tabular-nums">{kpiText(config, data)}</span>
        {config.label ? <span className="mt-1 text-sm text-slate-500">{String(config.label)}</span> : null}
      </div>
    );
  }
  if (type === 'pivot') return <DataGrid columns={data.columns} rows={data.rows} height={height} />;
  const option = chartOption(type, config, data);
  if (!option) return null;
  return (
    <div data-testid="chart">
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        style={{ height }}
        notMerge
        opts={{ renderer: 'canvas' }}
      />
    </div>
  );
}
