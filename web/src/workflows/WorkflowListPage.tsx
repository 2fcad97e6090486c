import { SearchBox } from '../ui/SearchBox.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { WorkflowOut } from '@flowforge/edge/api-types';
import { api } from '../api/client.ts';
import { uniqueName } from '../api/unique-name.ts';
import { usePermissions } from '../api/permissions.ts';
import { TemplateGallery } from '../templates/TemplateGallery.tsx';
import { RenameForm } from '../ui/RenameForm.tsx';
import { rememberedSort, rememberSort, sortWorkflows, WORKFLOW_SORTS, type WorkflowSort } from './sort.ts';

export function WorkflowListPage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { canEdit, editRefusal } = usePermissions();
  const workflows = useQuery({ queryKey: ['workflows'], queryFn: ({ signal }) => api.listWorkflows(signal) });
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['workflows'] });
  const rename = useMutation({
    mutationFn: (r: { id: string; name: string }) => api.updateWorkflow(r.id, { name: r.name }),
    onSuccess: () => {
      setRenaming(null);
      void refresh();
    },
  });
  const duplicate = useMutation({
    mutationFn: (w: WorkflowOut) =>
      api.createWorkflow({
        name: uniqueName(
          `Copy of ${w.name}`,
          (workflows.data?.workflows ?? []).map((x) => x.name),
        ),
        graph: w.graph,
      }),
    onSuccess: () => void refresh(),
  });
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<WorkflowSort>(rememberedSort);
  const remove = useMutation({
    mutationFn: (id: string) => api.deleteWorkflow(id),
    onSuccess: () => void refresh(),
  });

  return (
    <div className="mx-auto max-w-4xl p-6">
      <div className="mb-4 flex items-center justify-between">
        <h1 className="text-xl font-semibold">Workflows</h1>
        <button
          className="rounded bg-indigo-600 px-3 py-1.5 text-sm text-white disabled:opacity-50"
          onClick={() => navigate('/canvas')}
          disabled={!canEdit}
          title={editRefusal ?? undefined}
        >
          + New workflow
        </button>
      </div>
      {workflows.isPending ? (
        <div className="space-y-2" aria-busy>
          {[0, 1, 2].map((i) => (
            <div key={i} className="h-12 animate-pulse rounded bg-slate-200" />
          ))}
        </div>
      ) : workflows.isError ? (
        <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-700">
          Could not load workflows: {workflows.error.message}
        </p>
      ) : workflows.data.workflows.length === 0 ? (
        <div className="rounded border border-dashed border-slate-300 p-10 text-center text-slate-500">
          <p>No workflows yet.</p>
          <p className="text-sm">
            Open a template below, or create one, drop a Data Source on the canvas and preview real market
            data.
          </p>
        </div>
      ) : (
        <>
          <div className="mb-2 flex items-center gap-2">
            <SearchBox
              label="Search workflows"
              placeholder="Search workflows…"
              value={query}
              onSearch={setQuery}
              className="flex-1"
            />
            <label className="flex items-center gap-1 text-sm text-slate-600">
              Sort by
              <select
                aria-label="Sort workflows"
                className="rounded border border-slate-300 bg-white px-2 py-1 text-sm"
                value={sort}
                onChange={(e) => {
                  const next = e.target.value as WorkflowSort;
                  setSort(next);
                  rememberSort(next);
                }}
              >
                {Object.entries(WORKFLOW_SORTS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <ul
            className="divide-y divide-slate-200 rounded border border-slate-200 bg-white"
            data-testid="workflow-list"
          >
            {sortWorkflows(workflows.data.workflows, sort)
              .filter((w) => w.name.toLowerCase().includes(query.trim().toLowerCase()))
              .map((w) => (
                <li key={w.id} className="flex items-center gap-3 px-4 py-3">
                  {renaming !== null && renaming.id === w.id ? (
                    <RenameForm
                      value={renaming.name}
                      onChange={(name) => setRenaming({ id: w.id, name })}
                      onSave={() => rename.mutate(renaming)}
                      onCancel={() => setRenaming(null)}
                    />
                  ) : (
                    <Link
                      className="flex-1 font-medium text-indigo-700 hover:underline"
                      to={`/canvas/${w.id}`}
                    >
                      {w.name}
                    </Link>
                  )}
                  <span className="text-xs text-slate-500">
                    v{w.version} · {w.graph.nodes.length} nodes · {new Date(w.updated_at).toLocaleString()}
                  </span>
                  <button
                    className="text-xs text-slate-600 hover:underline disabled:text-slate-300 disabled:no-underline"
                    onClick={() => setRenaming({ id: w.id, name: w.name })}
                    disabled={!canEdit}
                    title={editRefusal ?? undefined}
                  >
                    Rename
                  </button>
                  <button
                    className="text-xs text-slate-600 hover:underline disabled:text-slate-300 disabled:no-underline"
                    onClick={() => duplicate.mutate(w)}
                    disabled={!canEdit || duplicate.isPending}
                    title={editRefusal ?? undefined}
                  >
                    Duplicate
                  </button>
                  <button
                    className="text-xs text-red-600 hover:underline disabled:text-slate-300 disabled:no-underline"
                    disabled={!canEdit}
                    title={editRefusal ?? undefined}
                    onClick={() => {
                      if (window.confirm(`Delete “${w.name}”? Its widgets go with it.`)) remove.mutate(w.id);
                    }}
                  >
                    Delete
                  </button>
                </li>
              ))}
          </ul>
        </>
      )}
      {duplicate.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          Duplicate failed: {duplicate.error.message}
        </p>
      ) : null}
      {rename.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          Rename failed: {rename.error.message}
        </p>
      ) : null}
      {remove.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          Delete failed: {remove.error.message}
        </p>
      ) : null}
      <TemplateGallery />
    </div>
  );
}
