import type { GlobalFilters, WidgetOut } from '@flowforge/edge/api-types';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import ReactGridLayout, { useContainerWidth, type Layout } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api/client.ts';
import { usePermissions } from '../api/permissions.ts';
import { LiveIndicator } from '../live/LiveIndicator.tsx';
import { useDashboardLive } from '../live/use-dashboard-live.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { AddWidgetDialog } from './AddWidgetDialog.tsx';
import { FiltersBar } from './FiltersBar.tsx';
import { GRID_COLS, gridLayout, ROW_HEIGHT, sameLayout, toSaved } from './layout.ts';
import { dashboardQuery, widgetsQuery } from './queries.ts';
import { filtersFromSearch, filtersToSearch } from './url-filters.ts';
import { EmbedDialog } from './EmbedDialog.tsx';
import { widgetTitle, WidgetCard } from './WidgetCard.tsx';

/** Performance mark set once every widget of the page's first load shows data: the bench's "dashboard ready". */
export const READY_MARK = 'ff:dashboard-ready';

export function DashboardPage() {
  const { dashboardId } = useParams();
  const id = dashboardId!;
  const queryClient = useQueryClient();
  const [searchParams, setSearchParams] = useSearchParams();
  const dashboard = useQuery(dashboardQuery(id));
  const widgets = useQuery(widgetsQuery(id));
  // Widgets refetch when the data plane says their rows changed (or poll at refresh_seconds while it is down).
  const live = useDashboardLive(id, dashboard.data?.refresh_seconds ?? 0);
  const { canEdit, editRefusal, isAdmin } = usePermissions();
  const [embedding, setEmbedding] = useState<WidgetOut | null>(null);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);

  // The URL wins (a shared link), then what the dashboard saved.
  const urlFilters = useMemo(() => filtersFromSearch(searchParams), [searchParams]);
  const filters: GlobalFilters = urlFilters ?? dashboard.data?.filters ?? {};

  const patch = useMutation({
    mutationFn: (body: Parameters<typeof api.updateDashboard>[1]) => api.updateDashboard(id, body),
    onSuccess: (saved) => queryClient.setQueryData(['dashboard', id], saved),
  });
  // A viewer's filters live in the URL only: the saved dashboard is an analyst's to change.
  const setFilters = (next: GlobalFilters) => {
    setSearchParams(filtersToSearch(next), { replace: false });
    if (canEdit) patch.mutate({ filters: next });
  };

  const widgetList = widgets.data?.widgets ?? [];
  const widgetIds = widgetList.map((w) => w.id);
  const saved = dashboard.data?.layout ?? [];
  const layout = useMemo(() => gridLayout(widgetIds, saved), [widgetIds.join(','), JSON.stringify(saved)]);
  // What the server last accepted: drag and resize both report a stop, which must save a change once.
  const lastSaved = useRef<string | null>(null);
  const saveLayout = (next: Layout) => {
    if (!dashboard.data || !canEdit) return;
    const items = toSaved(next.map(({ i, x, y, w, h }) => ({ i, x, y, w, h })));
    if (sameLayout(items, dashboard.data.layout) || JSON.stringify(items) === lastSaved.current) return;
    lastSaved.current = JSON.stringify(items);
    queryClient.setQueryData(['dashboard', id], { ...dashboard.data, layout: items });
    patch.mutate({ layout: items });
  };

  // "Dashboard ready": every widget of the first load has drawn its data (or its empty/error state).
  const rendered = useRef(new Set<string>());
  const marked = useRef(false);
  const onRendered = useCallback(
    (widgetId: string) => {
      rendered.current.add(widgetId);
      if (!marked.current && widgetIds.length > 0 && widgetIds.every((w) => rendered.current.has(w))) {
        marked.current = true;
        performance.mark(READY_MARK);
      }
    },
    [widgetIds.join(',')],
  );

  const renameWidget = async (widget: WidgetOut, title: string) => {
    const { title: _old, ...config } = widget.config;
    const saved = await api.updateWidget(widget.id, { config: title === '' ? config : { ...config, title } });
    queryClient.setQueryData(['widgets', id], (list: { widgets: WidgetOut[] } | undefined) =>
      list ? { ...list, widgets: list.widgets.map((w) => (w.id === saved.id ? saved : w)) } : list,
    );
  };

  const remove = useMutation({
    mutationFn: (widgetId: string) => api.deleteWidget(widgetId),
    onSuccess: () => {
      setRemoving(null);
      void queryClient.invalidateQueries({ queryKey: ['widgets', id] });
    },
  });

  const { width, containerRef, mounted } = useContainerWidth();

  useEffect(() => {
    if (dashboard.data) document.title = `${dashboard.data.name} · FlowForge`;
  }, [dashboard.data]);

  if (dashboard.isError) {
    return (
      <div className="p-8" role="alert">
        <p className="font-semibold">Could not open this dashboard.</p>
        <p className="text-sm text-slate-600">{dashboard.error.message}</p>
        <Link className="text-sm text-indigo-700 underline" to="/dashboards">
          All dashboards
        </Link>
      </div>
    );
  }
  const removingWidget = widgetList.find((w) => w.id === removing);

  return (
    <div className="flex h-full flex-col">
      <div className="flex items-center gap-3 border-b border-slate-200 bg-white px-4 py-2">
        <Link to="/dashboards" className="text-sm text-slate-500 hover:underline">
          Dashboards
        </Link>
        <span className="text-slate-300">/</span>
        <h1 className="text-lg font-semibold" data-testid="dashboard-name">
          {dashboard.data?.name ?? '…'}
        </h1>
        <LiveIndicator status={live} />
        {patch.isError ? (
          <span role="alert" className="text-xs text-red-600">
            Not saved: {patch.error.message}
          </span>
        ) : null}
        {canEdit ? (
          <button
            className="ml-auto rounded bg-indigo-600 px-3 py-1 text-sm text-white"
            onClick={() => setAdding(true)}
          >
            + Add widget
          </button>
        ) : (
          <span
            className="ml-auto text-xs text-slate-500"
            data-testid="read-only"
            title={editRefusal ?? undefined}
          >
            Read-only: filters apply to your view only
          </span>
        )}
      </div>
      <FiltersBar filters={filters} onChange={setFilters} />
      <div className="min-h-0 flex-1 overflow-auto bg-slate-100 p-2" ref={containerRef}>
        {widgets.isPending || dashboard.isPending ? (
          <div className="grid grid-cols-2 gap-3 p-2" aria-busy>
            {[0, 1, 2, 3].map((i) => (
              <div key={i} className="h-64 animate-pulse rounded bg-slate-200" />
            ))}
          </div>
        ) : widgets.isError ? (
          <p role="alert" className="m-4 rounded bg-red-50 p-3 text-sm text-red-700">
            Could not load the widgets: {widgets.error.message}
          </p>
        ) : widgetList.length === 0 ? (
          <div className="m-8 rounded border border-dashed border-slate-300 bg-white p-10 text-center text-slate-500">
            <p>This dashboard has no widgets yet.</p>
            <p className="text-sm">
              Pin a chart or Table View from a canvas (“Pin to dashboard” in its preview), or add one here.
            </p>
          </div>
        ) : mounted ? (
          <ReactGridLayout
            width={width - 16}
            layout={layout}
            gridConfig={{ cols: GRID_COLS, rowHeight: ROW_HEIGHT, margin: [12, 12] }}
            dragConfig={{
              enabled: canEdit,
              handle: '.widget-handle',
              cancel: '.widget-actions, .widget-title-input',
            }}
            resizeConfig={{ enabled: canEdit, handles: canEdit ? ['se'] : [] }}
            onDragStop={(next) => saveLayout(next)}
            onResizeStop={(next) => saveLayout(next)}
          >
            {widgetList.map((w) => (
              <div key={w.id} data-testid="grid-item">
                <WidgetCard
                  widget={w}
                  filters={filters}
                  canEdit={canEdit}
                  onRename={(title) => renameWidget(w, title)}
                  onRemove={() => setRemoving(w.id)}
                  onRendered={onRendered}
                  onEmbed={isAdmin ? () => setEmbedding(w) : undefined}
                />
              </div>
            ))}
          </ReactGridLayout>
        ) : null}
      </div>
      {embedding ? (
        <EmbedDialog widget={embedding} title={widgetTitle(embedding)} onClose={() => setEmbedding(null)} />
      ) : null}
      {adding ? (
        <AddWidgetDialog
          dashboardId={id}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            void queryClient.invalidateQueries({ queryKey: ['widgets', id] });
          }}
        />
      ) : null}
      {removingWidget ? (
        <Dialog title="Remove widget?" onClose={() => setRemoving(null)}>
          <p className="text-sm text-slate-600">
            “{widgetTitle(removingWidget)}” leaves this dashboard; its workflow stays as it is.
          </p>
          {remove.isError ? (
            <p role="alert" className="mt-2 text-sm text-red-600">
              {remove.error.message}
            </p>
          ) : null}
          <div className="mt-4 flex justify-end gap-2">
            <button
              className="rounded px-3 py-1 text-sm hover:bg-slate-100"
              onClick={() => setRemoving(null)}
            >
              Cancel
            </button>
            <button
              className="rounded bg-red-600 px-3 py-1 text-sm text-white"
              onClick={() => remove.mutate(removingWidget.id)}
            >
              Remove
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
