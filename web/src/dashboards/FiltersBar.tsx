import type { GlobalFilters } from '@flowforge/edge/api-types';
import { useState } from 'react';
import { useSymbols } from '../api/use-symbols.ts';
import { DATE_PRESETS } from './url-filters.ts';

const chip = (active: boolean) =>
  `rounded px-2 py-0.5 text-xs ${active ? 'bg-indigo-600 text-white' : 'bg-white hover:bg-slate-100 border border-slate-300'}`;

/** Date range presets (or custom dates) and a symbol multi-select, applied to every widget of the dashboard. */
export function FiltersBar({
  filters,
  onChange,
}: {
  filters: GlobalFilters;
  onChange: (filters: GlobalFilters) => void;
}) {
  const [open, setOpen] = useState(false);
  const symbols = useSymbols(open);
  const custom = !filters.range && Boolean(filters.date_from || filters.date_to);
  const [showCustom, setShowCustom] = useState(custom);
  const chosen = new Set(filters.symbols ?? []);
  const withoutDates = (f: GlobalFilters) => ({
    ...(f.symbols ? { symbols: f.symbols } : {}),
  });
  const setSymbols = (next: Set<string>) => {
    const { symbols: _omit, ...rest } = filters;
    onChange(next.size > 0 ? { ...rest, symbols: [...next].sort() } : rest);
  };

  return (
    <div
      className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-slate-50 px-4 py-2"
      data-testid="filters-bar"
    >
      <span className="text-xs font-semibold text-slate-500">Dates</span>
      <button
        className={chip(!filters.range && !custom && !showCustom)}
        onClick={() => {
          setShowCustom(false);
          onChange(withoutDates(filters));
        }}
      >
        All
      </button>
      {DATE_PRESETS.map((p) => (
        <button
          key={p.range}
          className={chip(filters.range === p.range)}
          onClick={() => {
            setShowCustom(false);
            onChange({ ...withoutDates(filters), range: p.range });
          }}
        >
          {p.label}
        </button>
      ))}
      <button className={chip(custom || showCustom)} onClick={() => setShowCustom(true)}>
        Custom
      </button>
      {showCustom || custom ? (
        <span className="flex items-center gap-1 text-xs">
          <input
            type="date"
            aria-label="From date"
            className="rounded border border-slate-300 px-1 py-0.5"
            value={filters.date_from?.slice(0, 10) ?? ''}
            onChange={(e) => {
              const { range: _r, date_from: _f, ...rest } = filters;
              onChange(e.target.value ? { ...rest, date_from: e.target.value } : rest);
            }}
          />
          –
          <input
            type="date"
            aria-label="To date"
            className="rounded border border-slate-300 px-1 py-0.5"
            value={filters.date_to?.slice(0, 10) ?? ''}
            onChange={(e) => {
              const { range: _r, date_to: _t, ...rest } = filters;
              // The end date is inclusive: the whole day counts.
              onChange(e.target.value ? { ...rest, date_to: `${e.target.value}T23:59:59` } : rest);
            }}
          />
        </span>
      ) : null}
      <span className="ml-4 text-xs font-semibold text-slate-500">Symbols</span>
      <div className="relative">
        <button
          className={chip(chosen.size > 0)}
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
          data-testid="symbol-picker"
        >
          {chosen.size > 0 ? [...chosen].join(', ') : 'All symbols'} ▾
        </button>
        {open ? (
          <div
            className="absolute z-30 mt-1 max-h-72 w-48 overflow-auto rounded border border-slate-200 bg-white p-1 shadow"
            role="listbox"
            aria-multiselectable
          >
            {symbols.isPending ? <p className="p-2 text-xs text-slate-500">Loading symbols…</p> : null}
            {symbols.isError ? (
              <p className="p-2 text-xs text-red-600">Could not load symbols: {symbols.error.message}</p>
            ) : null}
            {(symbols.data ?? []).map((s) => (
              <label key={s} className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-50">
                <input
                  type="checkbox"
                  checked={chosen.has(s)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(s);
                    else next.delete(s);
                    setSymbols(next);
                  }}
                />
                {s}
              </label>
            ))}
            {chosen.size > 0 ? (
              <button
                className="w-full rounded px-2 py-1 text-left text-xs text-slate-600 hover:bg-slate-50"
                onClick={() => setSymbols(new Set())}
              >
                Clear symbols
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
