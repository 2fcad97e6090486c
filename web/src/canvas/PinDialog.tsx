import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, widgetTypeOf } from '../api/client.ts';
import { Dialog } from '../ui/Dialog.tsx';

const NEW = '__new__';

export interface PinTarget {
  nodeId: string;
  nodeType: string;
  /** The node's summary: the widget title unless the user types another. */
  defaultTitle: string;
}

/**
 * Pins an output node to a dashboard as a reference {workflow_id, output_node_id}: the widget shows whatever the saved
 * workflow computes at that node. An unsaved workflow (or unsaved edits) is saved first, asking for a name when it
 * has none, because a widget can only point at a saved graph.
 */
export function PinDialog({
  target,
  workflowName,
  needsName,
  saveWorkflow,
  onClose,
  onPinned,
}: {
  target: PinTarget;
  workflowName: string;
  /** The workflow was never saved: ask for its name. */
  needsName: boolean;
  /** Saves the workflow (under `name`) when needed and resolves to its id. */
  saveWorkflow: (name: string) => Promise<string>;
  onClose: () => void;
  onPinned: (result: { workflowId: string; dashboardId: string; dashboardName: string }) => void;
}) {
  const queryClient = useQueryClient();
  const dashboards = useQuery({
    queryKey: ['dashboards'],
    queryFn: ({ signal }) => api.listDashboards(signal),
  });
  const [choice, setChoice] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const [title, setTitle] = useState(target.defaultTitle);
  const [name, setName] = useState(workflowName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = dashboards.data?.dashboards ?? [];
  const selected = choice ?? (list[0]?.id || NEW);
  const creating = selected === NEW;
  const ready =
    !busy &&
    title.trim() !== '' &&
    (!needsName || name.trim() !== '') &&
    (!creating || newName.trim() !== '');

  const pin = async () => {
    setBusy(true);
    setError(null);
    try {
      const workflowId = await saveWorkflow(name.trim());
      const dashboard = creating
        ? await api.createDashboard({ name: newName.trim() })
        : list.find((d) => d.id === selected)!;
      await api.createWidget({
        dashboard_id: dashboard.id,
        workflow_id: workflowId,
        output_node_id: target.nodeId,
        widget_type: widgetTypeOf(target.nodeType),
        config: { title: title.trim() },
      });
      void queryClient.invalidateQueries({ queryKey: ['dashboards'] });
      void queryClient.invalidateQueries({ queryKey: ['widgets', dashboard.id] });
      onPinned({ workflowId, dashboardId: dashboard.id, dashboardName: dashboard.name });
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <Dialog title="Pin to dashboard" onClose={onClose} testId="pin-dialog">
      <form
        className="space-y-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void pin();
        }}
      >
        {needsName ? (
          <label className="block">
            <span className="text-xs text-slate-600">
              This workflow is not saved yet: pinning saves it under this name
            </span>
            <input
              aria-label="Workflow name to save"
              className="mt-1 w-full rounded border border-slate-300 px-2 py-1"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
        ) : null}
        <label className="block">
          <span className="text-xs text-slate-600">Dashboard</span>
          <select
            aria-label="Dashboard"
            className="mt-1 w-full rounded border border-slate-300 px-2 py-1"
            value={selected}
            onChange={(e) => setChoice(e.target.value)}
            disabled={dashboards.isPending}
          >
            {list.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
            <option value={NEW}>+ New dashboard…</option>
          </select>
        </label>
        {creating ? (
          <label className="block">
            <span className="text-xs text-slate-600">New dashboard name</span>
            <input
              aria-label="New dashboard name"
              autoFocus
              className="mt-1 w-full rounded border border-slate-300 px-2 py-1"
              value={newName}
              onChange={(e) => setNewName(e.target.value)}
            />
          </label>
        ) : null}
        <label className="block">
          <span className="text-xs text-slate-600">Widget title</span>
          <input
            aria-label="Widget title"
            className="mt-1 w-full rounded border border-slate-300 px-2 py-1"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
        {dashboards.isError ? (
          <p role="alert" className="text-red-600">
            Could not load dashboards: {dashboards.error.message}
          </p>
        ) : null}
        {error ? (
          <p role="alert" className="text-red-600">
            Pin failed: {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2 pt-1">
          <button type="button" className="rounded px-3 py-1 hover:bg-slate-100" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="rounded bg-indigo-600 px-3 py-1 text-white disabled:opacity-50"
            disabled={!ready}
          >
            {busy ? 'Pinning…' : needsName ? 'Save and pin' : 'Pin'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
