import { chartOption, type ChartData } from '@flowforge/edge/charts';
import type { EChartsOption } from 'echarts';
import { useEffect, type ReactNode } from 'react';
import { ErrorBox } from '../ui/ErrorBox.tsx';
import { DataGrid } from './DataGrid.tsx';
import { KpiTile } from './KpiTile.tsx';

/** A chart type's drawing: the option `chartOption` built for it, in a palette. */
export interface DrawnChart {
  type: string;
  option: EChartsOption;
  theme: 'light' | 'dark';
  onRendered?: () => void;
}

export interface ChartProps {
  /** The output node's type: bar_chart, line_chart, candlestick, scatter, kpi, pivot, table_view (or table). */
  type: string;
  /** The output node's config (its `data`). */
  config: Record<string, unknown>;
  /** The result; undefined while the first answer is on its way. */
  data?: ChartData | undefined;
  /** The API's message when the query failed. */
  error?: string | null | undefined;
  /** Called once the chart (or table, or KPI) shows data: dashboards time "all widgets rendered" with it. */
  onRendered?: (() => void) | undefined;
  /** ECharts' palette; tables and KPIs follow Tailwind's `dark:` variant (a `.dark` ancestor). Default light. */
  theme?: 'light' | 'dark' | undefined;
}

export function Skeleton() {
  return (
    <div className="flex h-full min-h-24 flex-col gap-1.5 p-2" data-testid="chart-loading" aria-busy>
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="h-4 animate-pulse rounded bg-slate-200 dark:bg-slate-700" />
      ))}
    </div>
  );
}

/** Calls `onRendered` after the first paint of a non-canvas view (tables, KPI, messages). */
function Rendered({ onRendered }: { onRendered?: (() => void) | undefined }) {
  useEffect(() => onRendered?.(), [onRendered]);
  return null;
}

/**
 * The chart set's frame: the same loading, empty and error states, tables and KPIs for every output, and the chart
 * types' option (`chartOption`) handed to `draw`. The app draws it with ECharts' canvas (`Chart.tsx`), the embed page
 * with the SVG the edge rendered from the same option (`embed/ChartSvg.tsx`), so a frame ships no chart library.
 * It fills its container, so the caller decides the size.
 */
export function ChartFrame({
  type,
  config,
  data,
  error,
  onRendered,
  theme,
  draw,
}: ChartProps & { draw: (chart: DrawnChart) => ReactNode }) {
  if (error) {
    return (
      <div className="h-full overflow-auto p-2" data-testid="chart-error">
        <ErrorBox title="The query failed" messages={[error]} />
        <Rendered onRendered={onRendered} />
      </div>
    );
  }
  if (!data) return <Skeleton />;
  if (data.rows.length === 0) {
    return (
      <div
        className="flex h-full items-center justify-center p-4 text-sm text-slate-500"
        data-testid="chart-empty"
      >
        No rows for these filters.
        <Rendered onRendered={onRendered} />
      </div>
    );
  }
  if (type === 'kpi') {
    return (
      <>
        <KpiTile config={config} data={data} />
        <Rendered onRendered={onRendered} />
      </>
    );
  }
  if (type === 'pivot' || type === 'table_view' || type === 'table') {
    return (
      <div className="h-full" data-testid="data-table">
        <DataGrid columns={data.columns} rows={data.rows} height="100%" />
        <Rendered onRendered={onRendered} />
      </div>
    );
  }
  const option = chartOption(type, config, data);
  if (!option) {
    return (
      <div className="h-full p-2" data-testid="chart-error">
        <ErrorBox title="Cannot draw this output" messages={[`“${type}” is not a chart type`]} />
      </div>
    );
  }
  return (
    <div className="h-full min-h-40" data-testid="chart">
      {draw({ type, option, theme: theme ?? 'light', ...(onRendered ? { onRendered } : {}) })}
    </div>
  );
}
