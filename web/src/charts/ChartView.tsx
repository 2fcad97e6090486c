import ReactECharts from 'echarts-for-react';
import { DataGrid } from '../preview/DataGrid.tsx';
import { chartOption, kpiText, type ChartData } from './chart-option.ts';

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
      <ReactECharts option={option} style={{ height }} notMerge opts={{ renderer: 'canvas' }} />
    </div>
  );
}
