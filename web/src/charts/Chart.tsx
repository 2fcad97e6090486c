import { lazy, Suspense } from 'react';
import { ChartFrame, Skeleton, type ChartProps, type DrawnChart } from './ChartFrame.tsx';
import { loadChartKind } from './echarts/kinds.ts';
import type { EChart as EChartComponent } from './EChart.tsx';

export type { ChartProps } from './ChartFrame.tsx';

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

function EChartCanvas({ type, ...chart }: DrawnChart) {
  const LoadedEChart = loadedKinds.has(type) ? loadedEChart : null;
  if (LoadedEChart) return <LoadedEChart {...chart} />;
  // Once ECharts is loaded for this type (a dashboard preloads it while its queries run), draw without a Suspense
  // boundary: React holds back a boundary's content for up to 300 ms after its code arrives, which every chart would
  // wait out.
  const LazyEChart = lazyEChart(type);
  return (
    <Suspense fallback={<Skeleton />}>
      <LazyEChart {...chart} />
    </Suspense>
  );
}

const drawCanvas = (chart: DrawnChart) => <EChartCanvas {...chart} />;

/**
 * The one chart set: every output the canvas preview, a dashboard widget or an embed shows goes through its frame
 * (`ChartFrame`), with the same loading, empty and error states; in the app, charts are ECharts' canvas.
 */
export function Chart(props: ChartProps) {
  return <ChartFrame {...props} draw={drawCanvas} />;
}
