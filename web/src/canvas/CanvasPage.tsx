import type { Catalog } from '@flowforge/edge/workflow';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useState } from 'react';
import { templateById } from '@flowforge/edge/templates';
import { Link, useBlocker, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, ApiError } from '../api/client.ts';
import { ACTIONS, actionForShortcut, shortcutOf } from './actions.ts';
import { analyze, AnalysisProvider } from './analysis.ts';
import { describeIssues } from './messages.ts';
import type { WorkflowGraph } from './graph.ts';
import { Canvas, useAddFromPalette } from './Canvas.tsx';
import { ConfigPanel } from './ConfigPanel.tsx';
import { Palette } from './Palette.tsx';
import { CanvasStoreProvider, useCanvas, useCanvasStoreApi } from './store-context.tsx';
import { Toast } from '../ui/Toast.tsx';
import { VersionHistory } from './VersionHistory.tsx';
import { PreviewPanel } from '../preview/PreviewPanel.tsx';
import { useCatalog } from '../api/use-catalog.ts';
import { usePermissions } from '../api/permissions.ts';
import { summarizeConfig } from '../api/node-summary.ts';
import { nodeKind } from './node-catalog.ts';
import { PinDialog, type PinTarget } from './PinDialog.tsx';
import { PreviewSplit } from './PreviewSplit.tsx';

export function CanvasPage() {
  const { workflowId } = useParams();
  const [params] = useSearchParams();
  const templateId = workflowId === undefined ? (params.get('template') ?? undefined) : undefined;
  return (
    // A fresh store per workflow (or template copy): switching must never leak undo history or selection.
    <CanvasStoreProvider key={workflowId ?? `new:${templateId ?? ''}`}>
      <ReactFlowProvider>
        <CanvasWorkspace workflowId={workflowId} templateId={templateId} />
      </ReactFlowProvider>
    </CanvasStoreProvider>
  );
}

/** "Filter: Connect an input" for every node the engine still has something to say about. */
function unfinishedNodes(graph: WorkflowGraph, catalog: Catalog): string[] {
  const { issues } = analyze(graph, catalog);
  return graph.nodes.flatMap((n) => {
    const problems = describeIssues(n.type, n.data, issues.get(n.id) ?? []);
    return problems.length > 0 ? [`${nodeKind(n.type).label}: ${problems[0]!.message}`] : [];
  });
}

/** Below this width the settings panel starts collapsed. */
const NARROW_SCREEN = 1280;

interface Notice {
  text: string;
  tone: 'error' | 'info';
}

/** The last pin of this canvas: shown with a link to its dashboard until dismissed. */
interface Pinned {
  dashboardId: string;
  dashboardName: string;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

function CanvasWorkspace({
  workflowId,
  templateId,
}: {
  workflowId: string | undefined;
  templateId: string | undefined;
}) {
  const store = useCanvasStoreApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const catalog = useCatalog();
  const { canEdit, editRefusal } = usePermissions();
  const { name, dirty, canUndo, canRedo } = useCanvas((s) => ({
    name: s.workflow.name,
    dirty: s.dirty,
    canUndo: s.past.length > 0,
    canRedo: s.future.length > 0,
  }));
  // A first save moves a new canvas to its own URL, which remounts this workspace: the notice, or the confirmation of
  // the pin that saved it, travels along.
  const arrivedWith = useLocation().state as { notice?: Notice; pinned?: Pinned } | null;
  const [notice, setNotice] = useState<Notice | null>(arrivedWith?.notice ?? null);
  // `?node=`: a dashboard's "open in canvas" selects the widget's node once the workflow loads.
  const selectNode = useSearchParams()[0].get('node');
  const [pinned, setPinned] = useState<Pinned | null>(arrivedWith?.pinned ?? null);
  const [showHistory, setShowHistory] = useState(false);
  const [pinTarget, setPinTarget] = useState<PinTarget | null>(null);
  const addFromPalette = useAddFromPalette();
  // Narrow screens start with the settings folded away so the canvas keeps its room; picking a node unfolds them.
  const [configOpen, setConfigOpen] = useState(() => window.innerWidth >= NARROW_SCREEN);
  const activeNodeId = useCanvas((s) => s.activeNodeId);
  useEffect(() => {
    if (activeNodeId) setConfigOpen(true);
  }, [activeNodeId]);

  const workflow = useQuery({
    queryKey: ['workflow', workflowId],
    queryFn: ({ signal }) => api.getWorkflow(workflowId!, signal),
    enabled: workflowId !== undefined,
    staleTime: Infinity,
  });
  // Before the browser paints: a workflow already in the query cache (a first save moves the canvas to its URL and
  // remounts it) must not show as an empty "Untitled workflow" for a frame.
  useLayoutEffect(() => {
    if (!workflow.data) return;
    const loaded = store
      .getState()
      .load(
        { id: workflow.data.id, name: workflow.data.name, version: workflow.data.version },
        workflow.data.graph,
        selectNode,
      );
    if (!loaded.ok) setNotice({ text: `Cannot open this workflow: ${loaded.message}`, tone: 'error' });
    // The node from the URL is selected once, when the workflow loads.
  }, [workflow.data, store]);

  useEffect(() => {
    if (templateId === undefined) return;
    const template = templateById(templateId);
    const loaded = template
      ? store.getState().load({ name: template.name }, template.graph)
      : { ok: false as const, message: `there is no template “${templateId}”` };
    if (loaded.ok) store.getState().setActiveNode(template!.output);
    else setNotice({ text: `Cannot open this template: ${loaded.message}`, tone: 'error' });
  }, [templateId, store]);

  const save = useMutation({
    // `quiet`: the pin dialog saves on its own behalf and decides where to go afterwards.
    mutationFn: async (_options: { quiet?: boolean } = {}) => {
      const { workflow: meta, graph } = store.getState();
      const g = graph();
      return meta.id
        ? api.updateWorkflow(meta.id, {
            name: meta.name,
            graph: g,
            ...(meta.version ? { version: meta.version } : {}),
          })
        : api.createWorkflow({ name: meta.name, graph: g });
    },
    onSuccess: (saved, options) => {
      store.getState().markSaved({ id: saved.id, name: saved.name, version: saved.version });
      queryClient.setQueryData(['workflow', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['workflows'] });
      void queryClient.invalidateQueries({ queryKey: ['versions', saved.id] });
      if (options.quiet) return;
      const unfinished = catalog.data ? unfinishedNodes(store.getState().graph(), catalog.data) : [];
      const savedNotice: Notice =
        unfinished.length === 0
          ? { text: `Saved version ${saved.version}`, tone: 'info' }
          : {
              text: `Saved version ${saved.version}, but ${unfinished.length === 1 ? '1 node needs' : `${unfinished.length} nodes need`} attention: ${unfinished.join('; ')}`,
              tone: 'error',
            };
      if (workflowId) setNotice(savedNotice);
      else navigate(`/canvas/${saved.id}`, { replace: true, state: { notice: savedNotice } });
    },
    onError: (error) =>
      setNotice({
        text:
          error instanceof ApiError && error.status === 409
            ? `${error.message}. Reload to get the latest version.`
            : `Save failed: ${error.message}`,
        tone: 'error',
      }),
  });
  const doSave = useCallback(() => {
    if (!save.isPending) save.mutate({});
  }, [save]);

  const openPin = useCallback(
    (nodeId: string) => {
      const node = store.getState().nodes.find((n) => n.id === nodeId);
      if (!node) return;
      const type = node.type ?? '';
      const summary = summarizeConfig(type, node.data);
      setPinTarget({
        nodeId,
        nodeType: type,
        defaultTitle: summary ? `${nodeKind(type).label}: ${summary}` : nodeKind(type).label,
      });
    },
    [store],
  );
  /** Saves when there is anything to save, so the widget points at the graph on screen. */
  const saveForPin = useCallback(
    async (pinName: string) => {
      const state = store.getState();
      if (state.workflow.id && !state.dirty) return state.workflow.id;
      if (!state.workflow.id) state.rename(pinName);
      return (await save.mutateAsync({ quiet: true })).id;
    },
    [store, save],
  );

  useEffect(() => {
    if (!canEdit) return;
    const onKey = (event: KeyboardEvent) => {
      const shortcut = shortcutOf(event);
      if (shortcut === 'mod+s') {
        event.preventDefault();
        doSave();
        return;
      }
      if (isTyping(event.target)) return;
      const action = actionForShortcut(shortcut);
      if (action && (action.enabled?.(store) ?? true)) {
        event.preventDefault();
        action.perform(store);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, doSave, canEdit]);

  useEffect(() => {
    if (!dirty) return;
    const onUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty]);
  // Read the store at navigation time: right after a save, this render's `dirty` is stale.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      store.getState().dirty && currentLocation.pathname !== nextLocation.pathname,
  );

  if (workflow.isError) {
    return (
      <div className="p-8" role="alert">
        <p className="font-semibold">Could not open this workflow.</p>
        <p className="text-sm text-slate-600">{workflow.error.message}</p>
      </div>
    );
  }

  return (
    <div className="flex h-full flex-col">
      <div className="flex items-center gap-2 border-b border-slate-200 bg-white px-3 py-1.5">
        <label className="flex items-center gap-1 rounded border border-slate-300 bg-white px-2 focus-within:border-indigo-500 hover:border-slate-400">
          <input
            aria-label="Workflow name"
            className="w-60 py-1 text-sm font-semibold focus:outline-none"
            value={name}
            readOnly={!canEdit}
            onChange={(e) => store.getState().rename(e.target.value)}
          />
          {canEdit ? (
            <span aria-hidden className="text-xs text-slate-500" title="Rename">
              ✎
            </span>
          ) : null}
        </label>
        {dirty ? (
          <span className="text-xs text-amber-600" data-testid="unsaved">
            ● unsaved
          </span>
        ) : null}
        <button
          className="rounded bg-indigo-600 px-3 py-1 text-sm text-white disabled:opacity-50"
          onClick={doSave}
          disabled={save.isPending || name.trim() === '' || !canEdit}
          title={editRefusal ?? 'Save (Ctrl+S)'}
        >
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <div className="mx-2 h-5 w-px bg-slate-200" />
        {ACTIONS.filter((a) => a.name !== 'selectAll').map((a) => (
          <button
            key={a.name}
            className="rounded px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-40"
            onClick={() => a.perform(store)}
            disabled={!canEdit || (a.name === 'undo' ? !canUndo : a.name === 'redo' ? !canRedo : false)}
            title={editRefusal ?? `${a.label} (${a.keys[0]!.replace('mod', 'Ctrl')})`}
          >
            {a.label}
          </button>
        ))}
        <button
          className="ml-auto rounded px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-40"
          disabled={!workflowId}
          onClick={() => {
            setShowHistory((v) => !v);
            setConfigOpen(true);
          }}
        >
          History
        </button>
      </div>
      {editRefusal ? (
        <p role="status" className="bg-sky-50 px-3 py-1 text-sm text-sky-800" data-testid="read-only">
          {editRefusal}
        </p>
      ) : null}
      {catalog.isError ? (
        <p role="alert" className="bg-red-50 px-3 py-1 text-sm text-red-700">
          Could not load the data catalog: {catalog.error.message}
        </p>
      ) : null}
      <AnalysisProvider catalog={catalog.data}>
        <div className="flex min-h-0 flex-1">
          {canEdit ? <Palette onAdd={addFromPalette} /> : null}
          <PreviewSplit
            canvas={
              <>
                <Canvas readOnly={!canEdit} />
                <Toast
                  message={notice?.text ?? null}
                  tone={notice?.tone ?? 'info'}
                  onClose={() => setNotice(null)}
                />
              </>
            }
            preview={<PreviewPanel catalog={catalog.data} onPin={canEdit ? openPin : undefined} />}
          />
          {configOpen ? (
            <aside
              className="relative w-72 shrink-0 overflow-auto border-l border-slate-200 bg-white xl:w-80"
              aria-label="Node configuration"
            >
              <button
                type="button"
                onClick={() => setConfigOpen(false)}
                aria-label="Collapse the settings panel"
                title="Collapse the settings panel"
                className="absolute right-1 top-1 z-10 rounded px-1.5 text-sm text-slate-500 hover:bg-slate-100"
              >
                ⟩
              </button>
              {showHistory && workflowId ? (
                <VersionHistory workflowId={workflowId} onClose={() => setShowHistory(false)} />
              ) : (
                <fieldset disabled={!canEdit} className="contents">
                  <ConfigPanel catalog={catalog.data ?? []} />
                </fieldset>
              )}
            </aside>
          ) : (
            <button
              type="button"
              onClick={() => setConfigOpen(true)}
              data-testid="expand-config"
              className="w-8 shrink-0 border-l border-slate-200 bg-white text-xs text-slate-600 hover:bg-slate-50 [writing-mode:vertical-rl]"
            >
              ⟨ Settings
            </button>
          )}
        </div>
      </AnalysisProvider>
      {pinned ? (
        <div
          role="status"
          className="fixed bottom-4 right-4 z-30 rounded bg-slate-800 px-3 py-2 text-sm text-white shadow"
          data-testid="pinned"
        >
          Pinned to “{pinned.dashboardName}” ·{' '}
          <Link className="underline" to={`/dashboards/${pinned.dashboardId}`}>
            Open dashboard
          </Link>
          <button className="ml-3 text-slate-300" onClick={() => setPinned(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ) : null}
      {pinTarget ? (
        <PinDialog
          target={pinTarget}
          workflowName={name}
          needsName={!store.getState().workflow.id}
          saveWorkflow={saveForPin}
          onClose={() => setPinTarget(null)}
          onPinned={(result) => {
            setPinTarget(null);
            const confirmation = { dashboardId: result.dashboardId, dashboardName: result.dashboardName };
            setPinned(confirmation);
            // A first save gives the workflow its URL; the pin confirmation travels with it.
            if (!workflowId)
              navigate(`/canvas/${result.workflowId}?node=${encodeURIComponent(pinTarget.nodeId)}`, {
                replace: true,
                state: { pinned: confirmation },
              });
          }}
        />
      ) : null}
      {blocker.state === 'blocked' ? (
        <div
          role="dialog"
          aria-modal
          className="fixed inset-0 z-30 flex items-center justify-center bg-black/30"
        >
          <div className="w-96 rounded bg-white p-4 shadow-lg">
            <p className="font-semibold">Leave without saving?</p>
            <p className="mt-1 text-sm text-slate-600">Your changes to “{name}” will be lost.</p>
            <div className="mt-4 flex justify-end gap-2">
              <button
                className="rounded px-3 py-1 text-sm hover:bg-slate-100"
                onClick={() => blocker.reset()}
              >
                Stay
              </button>
              <button
                className="rounded bg-red-600 px-3 py-1 text-sm text-white"
                onClick={() => blocker.proceed()}
              >
                Discard changes
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}
