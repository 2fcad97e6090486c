import type { GlobalFilters } from '@flowforge/edge/api-types';
import type { QueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { preloadCharts } from '../charts/Chart.tsx';
import { widgetDataKey as widgetDataPrefix } from '../live/use-dashboard-live.ts';
import { filtersFromSearch, filtersKey } from './url-filters.ts';

/**
 * How long a fetched dashboard, widget list or widget answer counts as fresh. The page's queries mount right after the
 * route loader's prefetch: with TanStack Query's default of 0 every prefetched answer was fetched a second time. Widget
 * data still refreshes as soon as the data plane says its rows changed (`useDashboardLive` invalidates, whatever the
 * age) and on Refresh.
 */
export const FRESH_MS = 10_000;

export const dashboardQuery = (id: string) => ({
  queryKey: ['dashboard', id],
  staleTime: FRESH_MS,
  queryFn: ({ signal }: { signal: AbortSignal }) => api.getDashboard(id, signal),
});

export const widgetsQuery = (dashboardId: string) => ({
  queryKey: ['widgets', dashboardId],
  staleTime: FRESH_MS,
  queryFn: ({ signal }: { signal: AbortSignal }) => api.listWidgets(dashboardId, signal),
});

/** A widget's answer for some filters, under the prefix the live updates invalidate (one definition of that prefix). */
export const widgetDataKey = (widgetId: string, filters: GlobalFilters) => [
  ...widgetDataPrefix(widgetId),
  filtersKey(filters),
];
/**
 * Starts a dashboard's requests (the dashboard, its widgets, then every widget's data with the URL's or the saved
 * filters) and the chart code of its widgets' types, without waiting for the page's own code: the route loader calls it
 * on navigation.
 */
export async function prefetchDashboard(
  client: QueryClient,
  id: string,
  search: URLSearchParams,
): Promise<void> {
  const [dashboard, { widgets }] = await Promise.all([
    client.fetchQuery(dashboardQuery(id)),
    client.fetchQuery(widgetsQuery(id)),
  ]);
  preloadCharts(widgets.map((w) => w.widget_type));
  const filters = filtersFromSearch(search) ?? dashboard.filters;
  await Promise.all(
    widgets.map((w) =>
      client.prefetchQuery({
        queryKey: widgetDataKey(w.id, filters),
        staleTime: FRESH_MS,
        queryFn: ({ signal }) => api.widgetData(w.id, filters, false, signal),
      }),
    ),
  );
}
