/**
 * ECharts registrations per chart type, each its own chunk: a page (an embed above all) downloads ECharts' core with
 * the grid, tooltip and canvas renderer (`EChart.tsx`) plus only the series and components its charts draw.
 */
const KINDS: Record<string, () => Promise<unknown>> = {
  bar_chart: () => import('./bar.ts'),
  line_chart: () => import('./line.ts'),
  candlestick: () => import('./candlestick.ts'),
  scatter: () => import('./scatter.ts'),
};

/** Registers what `type` draws with ECharts; resolves at once for a type ECharts does not draw. */
export function loadChartKind(type: string): Promise<unknown> {
  return KINDS[type]?.() ?? Promise.resolve();
}
