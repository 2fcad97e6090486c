import { useState } from 'react';
import type { CatalogEntry } from '../../api/use-catalog.ts';
import { Field, inputClass } from './fields.tsx';
import { fieldError, type PanelProps } from './types.ts';

type Data = { database: string; table: string };

const key = (t: CatalogEntry) => `${t.database}.${t.table}`;

/** `daily_rollup` → "Daily rollup": what a trader calls the table. */
export function friendlyTableName(table: string): string {
  const words = table.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function rowCount(t: CatalogEntry): string {
  return t.row_count === undefined ? 'computed view' : `${t.row_count.toLocaleString('en-US')} rows`;
}

/** The hover text of a table: what it holds and its columns with their types. */
function tableTooltip(t: CatalogEntry): string {
  const columns = t.columns.map((c) => `${c.name}  ${c.type}${c.nullable ? '?' : ''}`).join('\n');
  return `${t.description ? `${t.description}\n\n` : ''}Columns:\n${columns}`;
}

function matches(t: CatalogEntry, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  return [key(t), friendlyTableName(t.table), t.description ?? '', ...t.columns.map((c) => c.name)].some(
    (text) => text.toLowerCase().includes(q),
  );
}

export function DataSourcePanel({ data, catalog, issues, update }: PanelProps<Data>) {
  const [query, setQuery] = useState('');
  const value = data.database && data.table ? `${data.database}.${data.table}` : '';
  const table = catalog.find((t) => t.database === data.database && t.table === data.table);
  // The chosen table stays listed while searching, so the list never loses the selection.
  const shown = catalog.filter((t) => matches(t, query) || key(t) === value);
  const databases = [...new Set(shown.map((t) => t.database))];
  return (
    <div className="space-y-3">
      <input
        type="search"
        aria-label="Search the catalog"
        placeholder="Search tables, descriptions, columns…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        className={inputClass}
      />
      <Field label="Table" error={fieldError(issues, 'table') ?? fieldError(issues, 'database')}>
        <select
          aria-label="Table"
          size={Math.max(2, Math.min(9, shown.length + databases.length))}
          className={`${inputClass} py-0`}
          value={value}
          onChange={(e) => {
            const picked = catalog.find((t) => key(t) === e.target.value);
            update({ database: picked?.database ?? '', table: picked?.table ?? '' });
          }}
        >
          {databases.map((database) => (
            <optgroup key={database} label={database}>
              {shown
                .filter((t) => t.database === database)
                .map((t) => (
                  <option key={key(t)} value={key(t)} title={tableTooltip(t)} className="py-0.5">
                    {friendlyTableName(t.table)} · {rowCount(t)}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </Field>
      {shown.length === 0 ? <p className="text-xs text-slate-500">No table matches “{query}”.</p> : null}
      {table ? (
        <div className="space-y-1" data-testid="table-details">
          <p className="text-sm font-medium">
            {friendlyTableName(table.table)}{' '}
            <span className="font-mono text-xs text-slate-500">
              {key(table)} · {table.store}
            </span>
          </p>
          {table.description ? <p className="text-xs text-slate-600">{table.description}</p> : null}
          <p className="text-xs text-slate-500">{rowCount(table)}</p>
          <ul
            className="max-h-64 overflow-auto rounded border border-slate-200 text-xs"
            data-testid="table-columns"
            tabIndex={0}
            aria-label={`Columns of ${key(table)}`}
          >
            {table.columns.map((c) => (
              <li
                key={c.name}
                className="flex justify-between border-b border-slate-100 px-2 py-0.5 last:border-0"
              >
                <span>{c.name}</span>
                <span className="text-slate-500">
                  {c.type}
                  {c.nullable ? '?' : ''}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
