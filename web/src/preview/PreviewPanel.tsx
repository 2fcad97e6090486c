import type { Catalog } from '@flowforge/edge/workflow';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import { isChartType } from '../charts/chart-option.ts';
import { useAnalysis } from '../canvas/analysis.ts';
import { upstreamGraph } from '../canvas/graph.ts';
import { nodeKind } from '../canvas/node-catalog.ts';
import { useCanvas } from '../canvas/store-context.tsx';
import { compileForNode } from './compile-for-node.ts';
import { DataGrid } from './DataGrid.tsx';
import { ErrorBox } from './ErrorBox.tsx';
import { TableBrowser } from './TableBrowser.tsx';
import { useDebouncedRequest } from './use-debounced-request.ts';

type Tab = 'data' | 'chart' | 'sql';

// ECharts is most of the bundle: load it the first time a chart is shown, not on every canvas visit.
const ChartView = lazy(() => import('../charts/ChartView.tsx').then((m) => ({ default: m.ChartView })));

export function PreviewPanel({ catalog }: { catalog: Catalog | undefined }) {
  const activeId = useCanvas((s) => s.activeNodeId);
  const node = useCanvas((s) => s.nodes.find((n) => n.id === s.activeNodeId));
  // Only what the node depends on is sent: editing a sibling branch must not refetch this preview.
  const shape = useCanvas((s) =>
    s.activeNodeId ? JSON.stringify(upstreamGraph(s.graph(), s.activeNodeId)) : null,
  );
  const analysis = useAnalysis();
  const [tab, setTab] = useState<Tab>('data');
  const nodeType = node?.type ?? '';
  // Each node opens on its natural tab: the chart for chart nodes, the rows for everything else.
  useEffect(() => setTab(isChartType(nodeType) ? 'chart' : 'data'), [activeId, nodeType]);

  const graph = useMemo(
    () => (shape ? (JSON.parse(shape) as ReturnType<typeof upstreamGraph>) : null),
    [shape],
  );
  const blocked = activeId
    ? [...analysis.issues.entries()]
        .filter(([id]) => graph?.nodes.some((n) => n.id === id))
        .flatMap(([, i]) => i)
    : [];
  const isTable = node?.type === 'table_view';
  const request =
    graph && activeId && blocked.length === 0 && !isTable ? { graph, target_node_id: activeId } : null;
  const state = useDebouncedRequest(request, api.preview);
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
      <header className="flex items-center gap-3 border-b border-slate-200 px-3 py-1.5 text-xs">
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
          <span className="ml-auto flex gap-3 text-slate-500" data-testid="preview-stats">
            <span>
              {data.row_count} rows{data.truncated ? ' (first 100)' : ''}
            </span>
            <span>{data.execution_ms} ms</span>
            <span className={data.cache_hit ? 'text-emerald-600' : ''}>
              {data.cache_hit ? 'cache hit' : 'fresh'}
            </span>
          </span>
        ) : null}
      </header>
      <div className="min-h-0 flex-1 overflow-auto p-2">
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
          <ErrorBox title="Fix the workflow to preview this node" messages={blocked.map((i) => i.message)} />
        ) : isTable ? (
          <TableBrowser graph={graph!} targetNodeId={activeId} pageSize={Number(node.data.page_size ?? 50)} />
        ) : state.status === 'error' ? (
          <ErrorBox title="The query failed" messages={[state.error.message]} />
        ) : !data ? (
          <div className="space-y-1.5" data-testid="preview-loading" aria-busy>
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="h-5 animate-pulse rounded bg-slate-200" />
            ))}
          </div>
        ) : data.rows.length === 0 ? (
          <p className="p-4 text-sm text-slate-500" data-testid="preview-empty">
            No rows match. Loosen a filter upstream to see data.
          </p>
        ) : activeTab === 'chart' ? (
          <Suspense fallback={<div className="h-64 animate-pulse rounded bg-slate-100" />}>
            <ChartView type={node.type ?? ''} config={node.data} data={data} />
          </Suspense>
        ) : (
          <DataGrid columns={data.columns} rows={data.rows} />
        )}
      </div>
    </section>
  );
}
