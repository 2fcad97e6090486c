import { lazy, Suspense, useEffect } from 'react';
import { ErrorBox } from '../ui/ErrorBox.tsx';
import { chartOption, type ChartData } from './chart-option.ts';
import { DataGrid } from './DataGrid.tsx';
import { loadChartKind } from './echarts/kinds.ts';
import type { EChart as EChartComponent } from './EChart.tsx';
import { KpiTile } from './KpiTile.tsx';

// ECharts is most of the bundle: load it the first time a chart is drawn, not on every page, and only the chart types
// drawn (`echarts/kinds.ts`).
let loadedEChart: typeof EChartComponent | null = null;
const loadedKinds = new Set<string>();
const loadEChart = (type: string) =>
  Promise.all([import('./EChart.tsx'), loadChartKind(type)]).then(([m]) => {
    loadedEChart = m.EChart;
    loadedKinds.add(type);
    return m;
  });
const lazyByType = new Map<string, ReturnType<typeof lazy<typeof EChartComponent>>>();
function lazyEChart(type: string) {
  let component = lazyByType.get(type);
  if (!component) {
    component = lazy(() => loadEChart(type).then((m) => ({ default: m.EChart })));
    lazyByType.set(type, component);
  }
  return component;
}

/** Starts loading ECharts for these chart types now, e.g. while a dashboard's widget queries are still running. */
export function preloadCharts(types: readonly string[]): void {
  for (const type of new Set(types)) void loadEChart(type);
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

function Skeleton() {
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
 * The one chart set: every output the canvas preview, a dashboard widget or an embed shows goes through here, with
 * the same loading, empty and error states. It fills its container, so the caller decides the size.
 */
export function Chart({ type, config, data, error, onRendered, theme }: ChartProps) {
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
  const chart = { option, theme: theme ?? 'light', ...(onRendered ? { onRendered } : {}) } as const;
  const LoadedEChart = loadedKinds.has(type) ? loadedEChart : null;
  const LazyEChart = lazyEChart(type);
  // Once ECharts is loaded for this type (a dashboard preloads it while its queries run), draw without a Suspense
  // boundary: React holds back a boundary's content for up to 300 ms after its code arrives, which every chart would
  // wait out.
  return (
    <div className="h-full min-h-40" data-testid="chart">
      {LoadedEChart ? (
        <LoadedEChart {...chart} />
      ) : (
        <Suspense fallback={<Skeleton />}>
          <LazyEChart {...chart} />
        </Suspense>
      )}
    </div>
  );
}
