import { useState } from 'react';
import { MAX_PAGE_OFFSET } from '@flowforge/edge/workflow';
import { api } from '../api/client.ts';
import type { WorkflowGraph } from '../canvas/graph.ts';
import { DataGrid, type SortState } from '../charts/DataGrid.tsx';
import { formatAsOf, pageRange } from '@flowforge/edge/charts/format';
import { ErrorBox } from '../ui/ErrorBox.tsx';
import { csvFileName, saveFile } from '../ui/save-file.ts';
import { useDebouncedRequest } from './use-debounced-request.ts';

/**
 * Pages through a Table View's full result on the server. Header clicks sort the view only: the sort travels with the
 * table request and the workflow itself is not edited.
 */
export function TableBrowser({
  graph,
  targetNodeId,
  pageSize,
  exportName,
}: {
  graph: WorkflowGraph;
  targetNodeId: string;
  pageSize: number;
  /** The export's file name without extension: the workflow and the node. */
  exportName: string;
}) {
  const [page, setPage] = useState(0);
  const [sort, setSort] = useState<SortState | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const [refreshes, setRefreshes] = useState(0);
  const request = {
    graph,
    target_node_id: targetNodeId,
    page,
    page_size: pageSize,
    ...(sort ? { sort: [sort] } : {}),
  };
  // The server refuses pages past the engine's offset cap; say so before the user clicks into the error.
  const nextPageCapped = (page + 1) * pageSize > MAX_PAGE_OFFSET;
  // A full page means there may be more; the server does not count the whole result for paging.
  const state = useDebouncedRequest(
    refreshes > 0 ? { ...request, refresh: true } : request,
    api.table,
    0,
    refreshes,
  );
  const data =
    state.status === 'success' ? state.data : state.status === 'loading' ? state.previous : undefined;
  const fullPage = data !== undefined && data.rows.length === pageSize;

  const toggleSort = (column: string) => {
    setSort((s) =>
      s?.column !== column
        ? { column, direction: 'ASC' }
        : s.direction === 'ASC'
          ? { column, direction: 'DESC' }
          : null,
    );
    setPage(0);
  };
  const exportCsv = async () => {
    setExporting('Exporting…');
    try {
      // The whole result up to the server's cap, in the view's sort: not just the page on screen.
      const blob = await api.exportCsv({
        graph,
        target_node_id: targetNodeId,
        ...(sort ? { sort: [sort] } : {}),
      });
      saveFile(csvFileName(exportName), blob);
      setExporting(null);
    } catch (error) {
      setExporting(`Export failed: ${(error as Error).message}`);
    }
  };

  if (state.status === 'error') {
    return (
      <div className="space-y-2">
        <ErrorBox title="Cannot load this page" messages={[state.error.message]} />
        {page > 0 ? (
          <button className="rounded border px-2 py-0.5 text-xs" onClick={() => setPage(0)}>
            Back to first page
          </button>
        ) : null}
      </div>
    );
  }
  return (
    <div className="space-y-2" data-testid="table-browser">
      <div className="flex items-center gap-2 text-xs">
        <button
          className="rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40"
          disabled={page === 0}
          onClick={() => setPage((p) => p - 1)}
        >
          ← Prev
        </button>
        <span data-testid="table-page">Page {page + 1}</span>
        <button
          className="rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40"
          disabled={!fullPage || nextPageCapped}
          onClick={() => setPage((p) => p + 1)}
        >
          Next →
        </button>
        {data ? (
          <span className="text-slate-500">
            <span data-testid="table-rows">
              {pageRange(page * pageSize + 1, page * pageSize + data.rows.length, data.total_rows)}
            </span>{' '}
            · {data.execution_ms} ms ·{' '}
            <span data-testid="table-as-of" title={data.as_of}>
              as of {formatAsOf(data.as_of)}
            </span>
          </span>
        ) : null}
        <button
          className="rounded px-1.5 py-0.5 hover:bg-slate-100"
          onClick={() => setRefreshes((n) => n + 1)}
          title="Run the query again, bypassing the cache"
        >
          ↻ Refresh
        </button>
        {state.status === 'loading' ? <span className="text-slate-500">loading…</span> : null}
        <button
          className="ml-auto rounded bg-slate-800 px-2 py-0.5 text-white"
          onClick={() => void exportCsv()}
        >
          Export CSV
        </button>
        {exporting ? <span className="text-slate-500">{exporting}</span> : null}
      </div>
      {fullPage && nextPageCapped ? (
        <p
          role="status"
          className="rounded bg-amber-50 p-2 text-xs text-amber-800"
          data-testid="table-message"
        >
          Paging stops at row {MAX_PAGE_OFFSET.toLocaleString('en-US')}: add a filter to narrow the results,
          or export to CSV.
        </p>
      ) : null}
      {data ? (
        <DataGrid columns={data.columns} rows={data.rows} sort={sort} onSort={toggleSort} />
      ) : (
        <div className="h-40 animate-pulse rounded bg-slate-200" />
      )}
    </div>
  );
}
