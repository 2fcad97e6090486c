import type { Catalog } from '@flowforge/edge/workflow';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import { Chart } from '../charts/Chart.tsx';
import { isChartType, isOutputType } from '@flowforge/edge/charts';
import { formatAsOf, shownOfTotal } from '@flowforge/edge/charts/format';
import { useAnalysis } from '../canvas/analysis.ts';
import { upstreamGraph } from '../canvas/graph.ts';
import { describeIssues } from '../canvas/messages.ts';
import { nodeKind } from '../canvas/node-catalog.ts';
import { useCanvas } from '../canvas/store-context.tsx';
import { ErrorBox } from '../ui/ErrorBox.tsx';
import { PinIcon } from '../ui/icons.tsx';
import { compileForNode } from './compile-for-node.ts';
import { TableBrowser } from './TableBrowser.tsx';
import { useDebouncedRequest } from './use-debounced-request.ts';

type Tab = 'data' | 'chart' | 'sql';

export function PreviewPanel({
  catalog,
  onPin,
}: {
  catalog: Catalog | undefined;
  /** Pins the active output node to a dashboard; absent for users who may not edit (no pin button). */
  onPin?: ((nodeId: string) => void) | undefined;
}) {
  const activeId = useCanvas((s) => s.activeNodeId);
  const node = useCanvas((s) => s.nodes.find((n) => n.id === s.activeNodeId));
  // Only what the node depends on is sent: editing a sibling branch must not refetch this preview.
  const shape = useCanvas((s) =>
    s.activeNodeId ? JSON.stringify(upstreamGraph(s.graph(), s.activeNodeId)) : null,
  );
  const workflowName = useCanvas((s) => s.workflow.name);
  const analysis = useAnalysis();
  const [tab, setTab] = useState<Tab>('data');
  // Refresh bypasses the cache for the node on screen; another node or an edit starts from the cache again.
  const [refresh, setRefresh] = useState<{ shape: string | null; count: number }>({ shape: null, count: 0 });
  const refreshing = refresh.shape === shape && refresh.count > 0;
  const nodeType = node?.type ?? '';
  // Each node opens on its natural tab: the chart for chart nodes, the rows for everything else.
  useEffect(() => setTab(isChartType(nodeType) ? 'chart' : 'data'), [activeId, nodeType]);

  const graph = useMemo(
    () => (shape ? (JSON.parse(shape) as ReturnType<typeof upstreamGraph>) : null),
    [shape],
  );
  const blocked = activeId
    ? (graph?.nodes ?? []).flatMap((n) =>
        describeIssues(n.type, n.data, analysis.issues.get(n.id) ?? []).map((p) => ({
          ...p,
          message: `${nodeKind(n.type).label}: ${p.message}`,
        })),
      )
    : [];
  const isTable = node?.type === 'table_view';
  const request =
    graph && activeId && blocked.length === 0 && !isTable
      ? { graph, target_node_id: activeId, ...(refreshing ? { refresh: true } : {}) }
      : null;
  const state = useDebouncedRequest(request, api.preview, undefined, refreshing ? refresh.count : 0);
  const sql = useMemo(
    () => (graph && activeId && catalog ? compileForNode(graph, activeId, catalog) : null),
    [graph, activeId, catalog],
  );

  if (!node || !activeId) {
    return <div className="p-4 text-sm text-slate-500">Click a node to preview its first 100 rows.</div>;
  }
  const chart = isChartType(node.type ?? '');
  const activeTab: Tab = tab === 'chart' && !chart ? 'data' : tab;
  const tabs: Tab[] = chart ? ['chart', 'data', 'sql'] : ['data', 'sql'];
  const data =
    state.status === 'success' ? state.data : state.status === 'loading' ? state.previous : undefined;

  return (
    <section className="flex h-full flex-col" aria-label="Preview" data-testid="preview-panel">
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 whitespace-nowrap border-b border-slate-200 px-3 py-1.5 text-xs">
        <span className="font-semibold">{nodeKind(node.type ?? '').label}</span>
        <nav className="flex gap-1" role="tablist">
          {tabs.map((t) => (
            <button
              key={t}
              role="tab"
              aria-selected={activeTab === t}
              onClick={() => setTab(t)}
              className={`rounded px-2 py-0.5 ${activeTab === t ? 'bg-indigo-600 text-white' : 'hover:bg-slate-100'}`}
            >
              {t === 'sql' ? 'SQL' : t === 'data' ? 'Data' : 'Chart'}
            </button>
          ))}
        </nav>
        {data && !isTable ? (
          <span
            className="ml-auto flex flex-wrap items-center gap-x-3 text-slate-500"
            data-testid="preview-stats"
          >
            <span data-testid="preview-rows">
              {shownOfTotal(data.row_count, data.total_rows, data.truncated)}
            </span>
            <span>{data.execution_ms} ms</span>
            <span className={data.cache_hit ? 'text-emerald-600' : ''}>
              {data.cache_hit ? 'cache hit' : 'fresh'}
            </span>
            <span data-testid="preview-as-of" title={data.as_of}>
              as of {formatAsOf(data.as_of)}
            </span>
            <button
              className="rounded px-1.5 py-0.5 hover:bg-slate-100"
              onClick={() => setRefresh((r) => ({ shape, count: r.shape === shape ? r.count + 1 : 1 }))}
              title="Run the query again, bypassing the cache"
            >
              ↻ Refresh
            </button>
          </span>
        ) : null}
        {onPin && isOutputType(node.type ?? '') ? (
          <button
            className={`${data && !isTable ? '' : 'ml-auto '}rounded border border-indigo-300 px-2 py-0.5 text-indigo-700 hover:bg-indigo-50`}
            onClick={() => onPin(activeId)}
            data-testid="pin-to-dashboard"
          >
            <span className="inline-flex items-center gap-1">
              <PinIcon /> Pin to dashboard
            </span>
          </button>
        ) : null}
      </header>
      {/* Focusable so keyboard users can scroll a long preview. */}
      <div className="min-h-0 flex-1 overflow-auto p-2" tabIndex={0} role="region" aria-label="Preview">
        {activeTab === 'sql' ? (
          sql?.ok ? (
            <pre
              className="whitespace-pre-wrap rounded bg-slate-900 p-3 font-mono text-xs text-slate-100"
              data-testid="preview-sql"
            >
              {sql.sql}
            </pre>
          ) : (
            <ErrorBox
              title="Cannot compile this node"
              messages={sql?.messages ?? ['The catalog is still loading.']}
            />
          )
        ) : blocked.length > 0 ? (
          blocked.some((p) => p.tone === 'error') ? (
            <ErrorBox
              title="Fix the workflow to preview this node"
              messages={blocked.filter((p) => p.tone === 'error').map((p) => p.message)}
            />
          ) : (
            <div className="p-3 text-sm text-slate-600" data-testid="preview-todo">
              <p className="font-medium">Almost there — to preview this node:</p>
              <ul className="mt-1 list-disc pl-5">
                {blocked.map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
              </ul>
            </div>
          )
        ) : isTable ? (
          <TableBrowser
            graph={graph!}
            targetNodeId={activeId}
            pageSize={Number(node.data.page_size ?? 50)}
            exportName={`${workflowName || 'workflow'} - ${nodeKind(node.type ?? '').label} ${activeId}`}
          />
        ) : (
          // The data tab is the chart set's data table: one set of loading, empty and error states.
          <div className="h-full min-h-48">
            <Chart
              type={activeTab === 'chart' ? (node.type ?? '') : 'table'}
              config={node.data}
              data={data}
              error={state.status === 'error' ? state.error.message : null}
            />
          </div>
        )}
      </div>
    </section>
  );
}
