import type { GlobalFilters, WidgetData, WidgetOut } from '@flowforge/edge/api-types';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import { Chart } from '../charts/Chart.tsx';
import { isOutputType } from '@flowforge/edge/charts';
import { formatAsOf, shownOfTotal } from '@flowforge/edge/charts/format';
import { CollapseIcon, ExpandIcon, MoreIcon } from '../ui/icons.tsx';
import { Menu, type MenuItem } from '../ui/Menu.tsx';
import { csvFileName, saveFile } from '../ui/save-file.ts';
import { FRESH_MS, widgetDataKey } from './queries.ts';

const FILTER_NAMES = { date: 'Date filter', symbols: 'Symbol filter' } as const;

/** The title a widget shows: the one given when it was pinned, else its type. */
export const widgetTitle = (widget: WidgetOut) =>
  typeof widget.config.title === 'string' && widget.config.title !== ''
    ? widget.config.title
    : widget.widget_type.replaceAll('_', ' ');

/**
 * One dashboard widget: runs its workflow up to the pinned node with the dashboard's filters and draws it with the
 * shared chart set. The header is the grid's drag handle; its buttons are not. Live refetches come from the page's
 * `useDashboardLive` (its query key starts with `['widget-data', widgetId]`).
 */
export function WidgetCard({
  widget,
  filters,
  canEdit,
  onRename,
  onRemove,
  onRendered,
  onEmbed,
}: {
  widget: WidgetOut;
  filters: GlobalFilters;
  /** Analysts and admins rename and remove widgets; viewers only read, refresh and export. */
  canEdit: boolean;
  /** Saves a new title ('' goes back to the default); rejects with the API's message. */
  onRename: (title: string) => Promise<unknown>;
  onRemove: () => void;
  onRendered: (widgetId: string) => void;
  /** Admins only: opens the Embed… dialog (API key and snippets for this widget). */
  onEmbed?: (() => void) | undefined;
}) {
  const [fullScreen, setFullScreen] = useState(false);
  const [renaming, setRenaming] = useState(false);
  // What the header says about the last rename or export that did not go well (or is still running).
  const [notice, setNotice] = useState<string | null>(null);
  // Set for the one request the Refresh button starts, so only that request bypasses the cache.
  const bypass = useRef(false);
  const data = useQuery({
    queryKey: widgetDataKey(widget.id, filters),
    queryFn: ({ signal }) => {
      const refresh = bypass.current;
      bypass.current = false;
      return api.widgetData(widget.id, filters, refresh, signal);
    },
    staleTime: FRESH_MS,
    placeholderData: (previous) => previous,
    retry: false,
  });
  const result = data.data;
  // A widget may be pinned on any node (a Table of a source, a filter…): only output nodes draw as themselves.
  const nodeType = result?.node?.type;
  const type =
    nodeType && isOutputType(nodeType)
      ? nodeType
      : widget.widget_type === 'table' || nodeType
        ? 'table_view'
        : widget.widget_type;
  const config = result?.node?.config ?? {};
  const state = data.isError ? 'error' : !result || data.isPlaceholderData ? 'loading' : 'ready';
  const chart = (
    <Chart
      type={type}
      config={config}
      data={result}
      error={data.isError ? data.error.message : null}
      onRendered={() => onRendered(widget.id)}
    />
  );
  const exportCsv = async () => {
    setNotice('Exporting…');
    try {
      saveFile(csvFileName(widgetTitle(widget)), await api.widgetCsv(widget.id, filters));
      setNotice(null);
    } catch (error) {
      setNotice(`Export failed: ${(error as Error).message}`);
    }
  };
  const rename = async (title: string) => {
    setRenaming(false);
    if (title === widgetTitle(widget)) return;
    try {
      await onRename(title);
      setNotice(null);
    } catch (error) {
      setNotice(`Not renamed: ${(error as Error).message}`);
    }
  };
  const menu: MenuItem[] = [
    ...(canEdit ? [{ label: 'Rename…', onSelect: () => setRenaming(true) }] : []),
    { label: 'Export CSV (all rows)', onSelect: () => void exportCsv() },
    ...(onEmbed ? [{ label: 'Embed…', onSelect: onEmbed }] : []),
    ...(canEdit ? [{ label: 'Remove from dashboard', onSelect: onRemove, danger: true }] : []),
  ];
  const header = (
    <header className="widget-handle flex cursor-move items-center gap-2 border-b border-slate-100 px-3 py-1.5">
      {renaming ? (
        <TitleInput
          initial={widgetTitle(widget)}
          onDone={(title) => void rename(title)}
          onCancel={() => setRenaming(false)}
        />
      ) : (
        <h3
          className="min-w-0 flex-1 truncate text-sm font-semibold"
          data-testid="widget-title"
          title={canEdit ? 'Double-click to rename' : undefined}
          onDoubleClick={canEdit ? () => setRenaming(true) : undefined}
        >
          {widgetTitle(widget)}
        </h3>
      )}
      {result ? (
        <span className="text-xs text-slate-400" data-testid="widget-as-of" title={result.as_of}>
          as of {formatAsOf(result.as_of)}
        </span>
      ) : null}
      <div className="widget-actions flex gap-0.5 text-xs">
        <button
          className="rounded px-1.5 py-0.5 hover:bg-slate-100"
          title="Refresh (bypasses the cache)"
          aria-label="Refresh"
          onClick={() => {
            bypass.current = true;
            void data.refetch();
          }}
        >
          ↻
        </button>
        <button
          className="rounded px-1.5 py-0.5 hover:bg-slate-100"
          title={fullScreen ? 'Exit full screen' : 'Full screen'}
          aria-label={fullScreen ? 'Exit full screen' : 'Full screen'}
          onClick={() => setFullScreen((f) => !f)}
        >
          {fullScreen ? <CollapseIcon /> : <ExpandIcon />}
        </button>
        <Link
          className="rounded px-1.5 py-0.5 hover:bg-slate-100"
          title="Open in canvas"
          aria-label="Open in canvas"
          to={`/canvas/${widget.workflow_id}?node=${encodeURIComponent(widget.output_node_id)}`}
        >
          ✎
        </Link>
        <Menu label="Widget actions" icon={<MoreIcon />} items={menu} />
      </div>
    </header>
  );
  const notes = (
    <>
      {notice ? (
        <p
          className="bg-slate-50 px-3 py-0.5 text-xs text-slate-600"
          role="status"
          data-testid="widget-notice"
        >
          {notice}
        </p>
      ) : null}
      {result ? <ResultNotes result={result} /> : null}
    </>
  );

  const card = (
    <section
      className={
        fullScreen
          ? 'fixed inset-4 z-40 flex flex-col rounded border border-slate-300 bg-white shadow-2xl'
          : 'flex h-full flex-col overflow-hidden rounded border border-slate-200 bg-white shadow-sm'
      }
      data-testid="widget"
      data-widget-id={widget.id}
      data-state={state}
      data-filters={result ? JSON.stringify(result.filters) : ''}
      data-rows={result?.row_count}
      aria-label={widgetTitle(widget)}
    >
      {header}
      {notes}
      <div className="min-h-0 flex-1">{chart}</div>
    </section>
  );
  // Grid items are positioned with transforms, which would trap a fixed overlay inside the item: portal it out.
  return fullScreen ? (
    <>
      <div className="flex h-full items-center justify-center rounded border border-dashed border-slate-300 text-xs text-slate-400">
        Shown full screen
      </div>
      {createPortal(card, document.body)}
    </>
  ) : (
    card
  );
}

/** What a widget's answer says about itself: filters its source cannot take, rows cut at the widget's limit. */
export function ResultNotes({
  result,
}: {
  result: Pick<WidgetData, 'unapplied_filters' | 'truncated' | 'row_count' | 'total_rows'>;
}) {
  return (
    <>
      {result.unapplied_filters.length > 0 ? (
        <p className="bg-amber-50 px-3 py-0.5 text-xs text-amber-800" data-testid="filter-not-applicable">
          {result.unapplied_filters.map((f) => FILTER_NAMES[f]).join(', ')} not applicable: the source has no{' '}
          {result.unapplied_filters.map((f) => (f === 'date' ? 'date' : 'symbol')).join(' or ')} column
        </p>
      ) : null}
      {result.truncated ? (
        <p className="bg-slate-50 px-3 py-0.5 text-xs text-slate-500" data-testid="widget-truncated">
          Showing {shownOfTotal(result.row_count, result.total_rows, result.truncated)}
        </p>
      ) : null}
    </>
  );
}

/** The title in place while renaming: Enter or leaving the field saves, Escape keeps the old title. */
function TitleInput({
  initial,
  onDone,
  onCancel,
}: {
  initial: string;
  onDone: (title: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  // Enter saves and unmounts the field, which blurs it: the blur must not save a second time.
  const finished = useRef(false);
  const finish = (done: () => void) => {
    if (finished.current) return;
    finished.current = true;
    done();
  };
  return (
    <input
      aria-label="Widget title"
      className="widget-title-input min-w-0 flex-1 rounded border border-indigo-300 px-1 text-sm font-semibold"
      value={value}
      maxLength={120}
      autoFocus
      onFocus={(e) => e.target.select()}
      onChange={(e) => setValue(e.target.value)}
      onBlur={() => finish(() => onDone(value.trim()))}
      onKeyDown={(e) => {
        if (e.key === 'Enter') finish(() => onDone(value.trim()));
        if (e.key === 'Escape') finish(onCancel);
      }}
    />
  );
}
