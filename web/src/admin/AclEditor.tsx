import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { useCatalog } from '../api/use-catalog.ts';

/** One entry per line or comma; an empty list means "no restriction" (null), like the API. */
const parseList = (text: string): string[] | null => {
  const items = [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  return items.length ? items : null;
};

/** The tenant's data ACL: which tables and symbols anyone in the tenant (viewers included) can read. */
export function AclEditor() {
  const queryClient = useQueryClient();
  const acl = useQuery({ queryKey: ['acl'], queryFn: ({ signal }) => api.getAcl(signal) });
  const catalog = useCatalog();
  const [tables, setTables] = useState('');
  const [symbols, setSymbols] = useState('');
  useEffect(() => {
    if (!acl.data) return;
    setTables((acl.data.allowed_tables ?? []).join('\n'));
    setSymbols((acl.data.allowed_symbols ?? []).join(', '));
  }, [acl.data]);

  const save = useMutation({
    mutationFn: () => api.putAcl({ allowed_tables: parseList(tables), allowed_symbols: parseList(symbols) }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['acl'], saved);
      // The catalog is filtered by the ACL: what it lists now is what the tenant's users see.
      void queryClient.invalidateQueries({ queryKey: ['catalog'] });
    },
  });

  const draftTables = parseList(tables);
  const draftSymbols = parseList(symbols);
  return (
    <div className="grid max-w-5xl grid-cols-2 gap-6">
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <h2 className="font-semibold">Data access for everyone in this tenant</h2>
        <label className="block text-sm">
          Allowed tables (<code>database.table</code>, one per line; empty = every table)
          <textarea
            aria-label="Allowed tables"
            className="mt-1 h-32 w-full rounded border border-slate-300 p-2 font-mono text-xs"
            value={tables}
            onChange={(e) => setTables(e.target.value)}
          />
        </label>
        <label className="block text-sm">
          Allowed symbols (comma separated; empty = every symbol)
          <input
            aria-label="Allowed symbols"
            className="mt-1 w-full rounded border border-slate-300 p-2 font-mono text-xs"
            value={symbols}
            onChange={(e) => setSymbols(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="rounded bg-indigo-600 px-3 py-1 text-sm text-white disabled:opacity-50"
          disabled={save.isPending || !acl.data}
        >
          {save.isPending ? 'Saving…' : 'Save ACL'}
        </button>
        {save.isError ? (
          <p role="alert" className="text-sm text-red-700">
            {save.error.message}
          </p>
        ) : null}
        {acl.data ? <p className="text-xs text-slate-500">ACL version {acl.data.version}</p> : null}
      </form>
      <section
        aria-label="What a viewer will see"
        className="rounded border border-slate-200 bg-white p-3 text-sm"
      >
        <h2 className="font-semibold">What a viewer will see</h2>
        <p className="mt-2">
          Symbols: {draftSymbols ? draftSymbols.join(', ') : 'every symbol'} (rows of other symbols are
          removed at the scan, below every node of every workflow).
        </p>
        <p className="mt-2">Tables:</p>
        <ul className="mt-1 max-h-64 overflow-auto font-mono text-xs">
          {(catalog.data ?? []).map((t) => {
            const name = `${t.database}.${t.table}`;
            const visible = draftTables === null || draftTables.includes(name);
            return (
              <li key={`${t.store}:${name}`} className={visible ? '' : 'text-slate-400 line-through'}>
                {name}
              </li>
            );
          })}
        </ul>
        {draftTables?.some((n) => !(catalog.data ?? []).some((t) => `${t.database}.${t.table}` === n)) ? (
          <p className="mt-2 text-xs text-slate-500">
            Tables not listed above are hidden by the saved ACL or do not exist.
          </p>
        ) : null}
      </section>
    </div>
  );
}
