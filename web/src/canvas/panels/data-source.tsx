import { Field, inputClass } from './fields.tsx';
import { fieldError, type PanelProps } from './types.ts';

type Data = { database: string; table: string };

export function DataSourcePanel({ data, catalog, issues, update }: PanelProps<Data>) {
  const value = data.database && data.table ? `${data.database}.${data.table}` : '';
  const table = catalog.find((t) => t.database === data.database && t.table === data.table);
  return (
    <div className="space-y-3">
      <Field label="Table" error={fieldError(issues, 'table') ?? fieldError(issues, 'database')}>
        <select
          aria-label="Table"
          className={inputClass}
          value={value}
          onChange={(e) => {
            const picked = catalog.find((t) => `${t.database}.${t.table}` === e.target.value);
            update({ database: picked?.database ?? '', table: picked?.table ?? '' });
          }}
        >
          <option value="">Choose a table…</option>
          {catalog.map((t) => (
            <option key={`${t.database}.${t.table}`} value={`${t.database}.${t.table}`}>
              {t.database}.{t.table} ({t.store})
            </option>
          ))}
        </select>
      </Field>
      {table ? (
        <ul
          className="max-h-64 overflow-auto rounded border border-slate-200 text-xs"
          data-testid="table-columns"
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
      ) : null}
    </div>
  );
}
