import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, widgetTypeOf } from '../api/client.ts';
import { summarizeConfig } from '../api/node-summary.ts';
import { isOutputType } from '@flowforge/edge/charts';
import { Dialog } from '../ui/Dialog.tsx';

const typeLabel = (type: string) =>
  type === 'table_view' ? 'Table View' : type.replace('_chart', '').replaceAll('_', ' ');

/** Adds a widget from any output node (charts, Table View) of the tenant's saved workflows. */
export function AddWidgetDialog({
  dashboardId,
  onClose,
  onAdded,
}: {
  dashboardId: string;
  onClose: () => void;
  onAdded: () => void;
}) {
  const workflows = useQuery({ queryKey: ['workflows'], queryFn: ({ signal }) => api.listWorkflows(signal) });
  const [search, setSearch] = useState('');
  const outputs = (workflows.data?.workflows ?? []).flatMap((w) =>
    w.graph.nodes
      .filter((n) => isOutputType(String(n.type)))
      .map((n) => {
        const type = String(n.type);
        const summary = summarizeConfig(type, (n.data ?? {}) as Record<string, unknown>);
        return {
          key: `${w.id}/${n.id}`,
          workflow: w,
          nodeId: n.id,
          type,
          title: summary ? `${typeLabel(type)}: ${summary}` : typeLabel(type),
        };
      }),
  );
  const shown = outputs.filter((o) =>
    `${o.workflow.name} ${o.title}`.toLowerCase().includes(search.trim().toLowerCase()),
  );
  const add = useMutation({
    mutationFn: (o: (typeof outputs)[number]) =>
      api.createWidget({
        dashboard_id: dashboardId,
        workflow_id: o.workflow.id,
        output_node_id: o.nodeId,
        widget_type: widgetTypeOf(o.type),
        config: { title: o.title },
      }),
    onSuccess: onAdded,
  });

  return (
    <Dialog title="Add a widget" onClose={onClose} wide testId="add-widget-dialog">
      <input
        aria-label="Search outputs"
        placeholder="Search workflows and outputs"
        className="mb-2 w-full rounded border border-slate-300 px-2 py-1 text-sm"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        autoFocus
      />
      {workflows.isPending ? <p className="text-sm text-slate-500">Loading workflows…</p> : null}
      {workflows.isError ? (
        <p role="alert" className="text-sm text-red-600">
          Could not load workflows: {workflows.error.message}
        </p>
      ) : null}
      {workflows.isSuccess && outputs.length === 0 ? (
        <p className="text-sm text-slate-500">
          No saved workflow has an output node yet. Add a chart or a Table View on a canvas and save it.
        </p>
      ) : null}
      <ul className="divide-y divide-slate-100">
        {shown.map((o) => (
          <li key={o.key} className="flex items-center gap-2 py-1.5 text-sm">
            <span className="min-w-0 flex-1 truncate">
              <span className="text-slate-500">{o.workflow.name} › </span>
              {o.title}
            </span>
            <button
              className="rounded bg-indigo-600 px-2 py-0.5 text-xs text-white disabled:opacity-50"
              disabled={add.isPending}
              onClick={() => add.mutate(o)}
            >
              Add
            </button>
          </li>
        ))}
      </ul>
      {add.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          Could not add the widget: {add.error.message}
        </p>
      ) : null}
    </Dialog>
  );
}
