import type { InputHTMLAttributes } from 'react';

/**
 * The app's search field: a labelled `type="search"` input (Escape clears it in the browser) whose value is the query.
 * `className` sizes and places it; the look is shared.
 */
export function SearchBox({
  label,
  value,
  onSearch,
  className = '',
  ...rest
}: {
  label: string;
  value: string;
  onSearch: (query: string) => void;
  className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value' | 'onChange' | 'className' | 'aria-label'>) {
  return (
    <input
      type="search"
      aria-label={label}
      value={value}
      onChange={(e) => onSearch(e.target.value)}
      className={`rounded border border-slate-300 px-2 py-1 text-sm ${className}`}
      {...rest}
    />
  );
}
