import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import { columnFractionDigits, formatCell, isNumericType } from '@flowforge/edge/charts/format';

export interface GridColumn {
  name: string;
  type: string;
}

export interface SortState {
  column: string;
  direction: 'ASC' | 'DESC';
}

const ROW_HEIGHT = 28;

/** Virtualized result grid: only visible rows are in the DOM, so 10 000-row pages scroll smoothly. */
export function DataGrid({
  columns,
  rows,
  sort,
  onSort,
  height = 260,
}: {
  columns: readonly GridColumn[];
  rows: readonly unknown[][];
  sort?: SortState | null;
  onSort?: (column: string) => void;
  /** Pixels, or a CSS height such as '100%' to fill a sized container (dashboard widgets). */
  height?: number | string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // jsdom has no layout: render a first window anyway so tests (and first paint) see rows.
    initialRect: { width: 800, height: typeof height === 'number' ? height : 260 },
  });
  // A timestamp with milliseconds ("2026-06-01 14:30:00.080") fits its column without being cut.
  const template = `3rem ${columns.map((c) => (c.type === 'datetime' ? 'minmax(12rem, 1fr)' : 'minmax(8rem, 1fr)')).join(' ')}`;
  // Every row of a column shows the same decimals, so the digits line up.
  const digits = useMemo(
    () =>
      columns.map((c, i) =>
        columnFractionDigits(
          rows.map((r) => r[i]),
          c.type,
        ),
      ),
    [columns, rows],
  );
  return (
    <div
      ref={scrollRef}
      className="overflow-auto rounded border border-slate-200 bg-white text-xs dark:border-slate-700 dark:bg-slate-900"
      style={{ height }}
      role="table"
      aria-rowcount={rows.length}
    >
      <div
        className="sticky top-0 z-10 grid border-b border-slate-200 bg-slate-100 font-semibold dark:border-slate-700 dark:bg-slate-800"
        style={{ gridTemplateColumns: template }}
        role="row"
      >
        <div className="px-2 py-1 text-slate-500">#</div>
        {columns.map((c) => (
          <div
            key={c.name}
            role="columnheader"
            className={`px-2 py-1 ${isNumericType(c.type) ? 'text-right' : ''}`}
          >
            {onSort ? (
              <button
                type="button"
                className="w-full text-inherit hover:text-indigo-700"
                style={{ textAlign: 'inherit' }}
                onClick={() => onSort(c.name)}
                title={`Sort by ${c.name}`}
              >
                {c.name}
                {sort?.column === c.name ? (sort.direction === 'ASC' ? ' ▲' : ' ▼') : ''}
              </button>
            ) : (
              c.name
            )}
            <div className="text-[10px] font-normal text-slate-500">{c.type}</div>
          </div>
        ))}
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          return (
            <div
              key={item.key}
              role="row"
              className="absolute left-0 grid w-full border-b border-slate-100 hover:bg-indigo-50 dark:border-slate-800 dark:hover:bg-slate-800"
              style={{ top: item.start, height: ROW_HEIGHT, gridTemplateColumns: template }}
            >
              <div className="px-2 py-1 text-slate-500">{item.index + 1}</div>
              {columns.map((c, i) => {
                const value = row[i];
                return (
                  <div
                    key={c.name}
                    role="cell"
                    className={`truncate px-2 py-1 ${isNumericType(c.type) ? 'text-right tabular-nums' : ''}`}
                  >
                    {value === null || value === undefined ? (
                      <span className="italic text-slate-500">null</span>
                    ) : (
                      formatCell(value, c.type, digits[i])
                    )}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
