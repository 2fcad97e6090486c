import type { Column } from '@flowforge/edge/workflow';
import type { ReactNode } from 'react';

export const inputClass =
  'w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none';

export function Field({
  label,
  error,
  children,
}: {
  label: string;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <label className={`block space-y-1 ${error ? '[&_input]:border-red-400 [&_select]:border-red-400' : ''}`}>
      <span className="text-xs font-medium text-slate-600">{label}</span>
      {children}
      {error ? (
        <span role="alert" className="block text-xs text-red-600">
          {error}
        </span>
      ) : null}
    </label>
  );
}

export function ColumnSelect({
  columns,
  value,
  onChange,
  placeholder = 'Choose a column…',
  allowStar = false,
  ariaLabel,
}: {
  columns: readonly Column[];
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  allowStar?: boolean;
  ariaLabel?: string;
}) {
  const known = value === '' || value === '*' || columns.some((c) => c.name === value);
  return (
    <select
      aria-label={ariaLabel}
      className={inputClass}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">{placeholder}</option>
      {allowStar ? <option value="*">* (all rows)</option> : null}
      {/* A column that vanished upstream stays visible so the error next to it makes sense. */}
      {known ? null : <option value={value}>{value} (missing)</option>}
      {columns.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} · {c.type}
        </option>
      ))}
    </select>
  );
}

export function ColumnChecklist({
  columns,
  value,
  onChange,
  label,
}: {
  columns: readonly Column[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  label: string;
}) {
  const toggle = (name: string) =>
    onChange(value.includes(name) ? value.filter((v) => v !== name) : [...value, name]);
  return (
    <fieldset className="space-y-1">
      <legend className="text-xs font-medium text-slate-600">{label}</legend>
      <div className="max-h-56 space-y-0.5 overflow-auto rounded border border-slate-200 p-1">
        {columns.length === 0 ? (
          <p className="p-1 text-xs text-slate-500">Connect an input to pick columns.</p>
        ) : null}
        {columns.map((c) => (
          <label key={c.name} className="flex items-center gap-2 rounded px-1 text-sm hover:bg-slate-50">
            <input type="checkbox" checked={value.includes(c.name)} onChange={() => toggle(c.name)} />
            <span className="flex-1 truncate">{c.name}</span>
            <span className="text-[10px] text-slate-500">{c.type}</span>
          </label>
        ))}
      </div>
      {value.length > 0 ? <p className="text-[11px] text-slate-500">Order: {value.join(', ')}</p> : null}
    </fieldset>
  );
}

export function SmallButton({
  children,
  onClick,
  title,
}: {
  children: ReactNode;
  onClick: () => void;
  title?: string;
}) {
  return (
    <button
      type="button"
      title={title}
      onClick={onClick}
      className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-100"
    >
      {children}
    </button>
  );
}
