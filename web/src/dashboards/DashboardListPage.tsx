import { SearchBox } from '../ui/SearchBox.tsx';
import type { DashboardOut } from '@flowforge/edge/api-types';
import { DASHBOARD_TEMPLATES } from '@flowforge/edge/templates';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, widgetTypeOf } from '../api/client.ts';
import { usePermissions } from '../api/permissions.ts';
import { uniqueName } from '../api/unique-name.ts';
import { useDashboardFromTemplate } from '../api/template-dashboard.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { RenameForm } from '../ui/RenameForm.tsx';

/**
 * A copy of a dashboard: same filters and refresh, the same widget references, the layout mapped onto the copies.
 * Named like a copied workflow ("Copy of …", numbered when taken).
 */
async function duplicateDashboard(source: DashboardOut, taken: string[]): Promise<DashboardOut> {
  const { widgets } = await api.listWidgets(source.id);
  const copy = await api.createDashboard({
    name: uniqueName(`Copy of ${source.name}`, taken),
    filters: source.filters,
    refresh_seconds: source.refresh_seconds,
  });
  const ids = new Map<string, string>();
  for (const w of widgets) {
    const created = await api.createWidget({
      dashboard_id: copy.id,
      workflow_id: w.workflow_id,
      output_node_id: w.output_node_id,
      widget_type: widgetTypeOf(w.widget_type),
      config: w.config,
    });
    ids.set(w.id, created.id);
  }
  const layout = source.layout
    .filter((item) => ids.has(item.widget_id))
    .map((item) => ({ ...item, widget_id: ids.get(item.widget_id)! }));
  return layout.length > 0 ? api.updateDashboard(copy.id, { layout }) : copy;
}

export function DashboardListPage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { canEdit, editRefusal } = usePermissions();
  const dashboards = useQuery({
    queryKey: ['dashboards'],
    queryFn: ({ signal }) => api.listDashboards(signal),
  });
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<DashboardOut | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['dashboards'] });

  const create = useMutation({
    mutationFn: (name: string) => api.createDashboard({ name }),
    onSuccess: (d) => {
      void refresh();
      navigate(`/dashboards/${d.id}`);
    },
  });
  const rename = useMutation({
    mutationFn: (r: { id: string; name: string }) => api.updateDashboard(r.id, { name: r.name }),
    onSuccess: () => {
      setRenaming(null);
      void refresh();
    },
  });
  const duplicate = useMutation({
    mutationFn: (source: DashboardOut) =>
      duplicateDashboard(
        source,
        (dashboards.data?.dashboards ?? []).map((d) => d.name),
      ),
    onSuccess: () => void refresh(),
  });
  const fromTemplate = useDashboardFromTemplate();
  const remove = useMutation({
    mutationFn: (id: string) => api.deleteDashboard(id),
    onSuccess: () => {
      setDeleting(null);
      void refresh();
    },
  });
  const failure = [create, rename, duplicate, remove, fromTemplate].find((m) => m.isError)?.error;
  const shown = (dashboards.data?.dashboards ?? []).filter((d) =>
    d.name.toLowerCase().includes(search.trim().toLowerCase()),
  );

  return (
    <div className="mx-auto max-w-4xl p-6">
      <div className="mb-4 flex items-center gap-3">
        <h1 className="text-xl font-semibold">Dashboards</h1>
        <SearchBox
          label="Search dashboards"
          placeholder="Search"
          className="ml-auto w-56"
          value={search}
          onSearch={setSearch}
        />
        {canEdit ? (
          <>
            <button
              className="rounded border border-indigo-600 px-3 py-1.5 text-sm text-indigo-700 hover:bg-indigo-50 disabled:opacity-50"
              disabled={fromTemplate.isPending}
              title={DASHBOARD_TEMPLATES[0]!.description}
              onClick={() => fromTemplate.mutate()}
            >
              {fromTemplate.isPending ? 'Creating…' : 'New dashboard from template'}
            </button>
            <button
              className="rounded bg-indigo-600 px-3 py-1.5 text-sm text-white"
              onClick={() => setCreating('')}
            >
              + New dashboard
            </button>
          </>
        ) : null}
      </div>
      {creating !== null ? (
        <form
          className="mb-4 flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (creating.trim()) create.mutate(creating.trim());
          }}
        >
          <input
            aria-label="Dashboard name"
            autoFocus
            placeholder="Dashboard name"
            className="flex-1 rounded border border-slate-300 px-2 py-1 text-sm"
            value={creating}
            onChange={(e) => setCreating(e.target.value)}
          />
          <button
            className="rounded bg-indigo-600 px-3 py-1 text-sm text-white disabled:opacity-50"
            disabled={!creating.trim() || create.isPending}
          >
            Create
          </button>
          <button type="button" className="rounded px-2 py-1 text-sm" onClick={() => setCreating(null)}>
            Cancel
          </button>
        </form>
      ) : null}
      {dashboards.isPending ? (
        <div className="space-y-2" aria-busy>
          {[0, 1, 2].map((i) => (
            <div key={i} className="h-12 animate-pulse rounded bg-slate-200" />
          ))}
        </div>
      ) : dashboards.isError ? (
        <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-700">
          Could not load dashboards: {dashboards.error.message}
        </p>
      ) : dashboards.data.dashboards.length === 0 ? (
        <div className="rounded border border-dashed border-slate-300 p-10 text-center text-slate-500">
          <p>No dashboards yet.</p>
          <p className="text-sm">
            {canEdit
              ? 'Create one here, start from a template, or pin a chart from a canvas with “Pin to dashboard” in its preview.'
              : `An analyst of your firm creates them. ${editRefusal ?? ''}`}
          </p>
        </div>
      ) : shown.length === 0 ? (
        <p className="text-sm text-slate-500">No dashboard matches “{search}”.</p>
      ) : (
        <ul
          className="divide-y divide-slate-200 rounded border border-slate-200 bg-white"
          data-testid="dashboard-list"
        >
          {shown.map((d) => (
            <li key={d.id} className="flex items-center gap-3 px-4 py-3">
              {renaming?.id === d.id ? (
                <RenameForm
                  value={renaming.name}
                  onChange={(name) => setRenaming({ id: d.id, name })}
                  onSave={() => {
                    if (renaming.name.trim()) rename.mutate({ id: d.id, name: renaming.name.trim() });
                  }}
                  onCancel={() => setRenaming(null)}
                />
              ) : (
                <Link
                  className="flex-1 font-medium text-indigo-700 hover:underline"
                  to={`/dashboards/${d.id}`}
                >
                  {d.name}
                </Link>
              )}
              <span className="text-xs text-slate-400">
                {d.layout.length} widgets · {new Date(d.updated_at).toLocaleString()}
              </span>
              {canEdit ? (
                <>
                  <button
                    className="text-xs text-slate-600 hover:underline"
                    onClick={() => setRenaming({ id: d.id, name: d.name })}
                  >
                    Rename
                  </button>
                  <button
                    className="text-xs text-slate-600 hover:underline disabled:opacity-50"
                    disabled={duplicate.isPending}
                    onClick={() => duplicate.mutate(d)}
                  >
                    Duplicate
                  </button>
                  <button className="text-xs text-red-600 hover:underline" onClick={() => setDeleting(d)}>
                    Delete
                  </button>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {failure ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          {failure.message}
        </p>
      ) : null}
      {deleting ? (
        <Dialog title="Delete dashboard?" onClose={() => setDeleting(null)}>
          <p className="text-sm text-slate-600">
            “{deleting.name}” and its widgets are deleted. The workflows behind them stay.
          </p>
          <div className="mt-4 flex justify-end gap-2">
            <button
              className="rounded px-3 py-1 text-sm hover:bg-slate-100"
              onClick={() => setDeleting(null)}
            >
              Cancel
            </button>
            <button
              className="rounded bg-red-600 px-3 py-1 text-sm text-white"
              onClick={() => remove.mutate(deleting.id)}
            >
              Delete
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
