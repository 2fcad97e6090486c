import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyCreated } from '@flowforge/edge/api-types';
import { useState } from 'react';
import { api } from '../api/client.ts';

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** Embed API keys: created with a widget scope, shown once, listed by prefix, revoked at once. */
export function ApiKeys() {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: ({ signal }) => api.listApiKeys(signal) });
  const widgets = useQuery({
    queryKey: ['widgets', 'all'],
    queryFn: ({ signal }) => api.listAllWidgets(signal),
  });
  const [name, setName] = useState('');
  const [widgetIds, setWidgetIds] = useState<string[]>([]);
  const [origins, setOrigins] = useState('');
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['api-keys'] });

  const create = useMutation({
    mutationFn: () =>
      api.createApiKey({
        name,
        widget_ids: widgetIds,
        allowed_origins: origins.split(/[\s,]+/).filter(Boolean),
      }),
    onSuccess: (key) => {
      setCreated(key);
      setName('');
      setWidgetIds([]);
      void refresh();
    },
  });
  const revoke = useMutation({ mutationFn: api.revokeApiKey, onSuccess: () => void refresh() });

  return (
    <div className="max-w-5xl space-y-6">
      <form
        className="space-y-2 rounded border border-slate-200 bg-white p-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <h2 className="font-semibold">New API key</h2>
        <input
          aria-label="Key name"
          placeholder="Name, e.g. client portal"
          className="w-80 rounded border border-slate-300 px-2 py-1 text-sm"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <fieldset className="text-sm">
          <legend>Widgets this key may read</legend>
          {widgets.data?.widgets.length ? (
            widgets.data.widgets.map((w) => (
              <label key={w.id} className="mr-4 inline-flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={widgetIds.includes(w.id)}
                  onChange={(e) =>
                    setWidgetIds((ids) =>
                      e.target.checked ? [...ids, w.id] : ids.filter((id) => id !== w.id),
                    )
                  }
                />
                {String(w.config.title ?? w.widget_type)}{' '}
                <span className="text-xs text-slate-400">{w.id.slice(0, 8)}</span>
              </label>
            ))
          ) : (
            <p className="text-slate-500">
              No widgets yet: a key is scoped to widgets, so create one on a dashboard first.
            </p>
          )}
        </fieldset>
        <input
          aria-label="Allowed origins"
          placeholder="Sites allowed to frame the widgets, e.g. https://portal.example.com"
          className="w-full rounded border border-slate-300 px-2 py-1 text-sm"
          value={origins}
          onChange={(e) => setOrigins(e.target.value)}
        />
        <button
          type="submit"
          className="rounded bg-indigo-600 px-3 py-1 text-sm text-white disabled:opacity-50"
          disabled={create.isPending || name.trim() === '' || widgetIds.length === 0}
        >
          Create key
        </button>
        {create.isError ? (
          <p role="alert" className="text-sm text-red-700">
            {create.error.message}
          </p>
        ) : null}
        {created ? (
          <p className="rounded bg-amber-50 p-2 text-sm" data-testid="new-key">
            Copy the key now, it is never shown again:{' '}
            <code className="select-all font-mono">{created.key}</code>
          </p>
        ) : null}
      </form>

      <table className="w-full text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th>Name</th>
            <th>Prefix</th>
            <th>Widgets</th>
            <th>Origins</th>
            <th>Last used</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(keys.data?.api_keys ?? []).map((k) => (
            <tr key={k.id} className={`border-t border-slate-100 ${k.revoked_at ? 'text-slate-400' : ''}`}>
              <td>{k.name}</td>
              <td className="font-mono">{k.prefix}…</td>
              <td>{k.scoped_widget_ids.length}</td>
              <td>{k.allowed_origins.join(', ') || '—'}</td>
              <td>{date(k.last_used_at)}</td>
              <td>{date(k.created_at)}</td>
              <td>
                {k.revoked_at ? (
                  `revoked ${date(k.revoked_at)}`
                ) : (
                  <button
                    className="rounded px-2 py-0.5 text-red-700 hover:bg-red-50"
                    onClick={() => revoke.mutate(k.id)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {keys.data?.api_keys.length === 0 ? <p className="text-sm text-slate-500">No API keys yet.</p> : null}
    </div>
  );
}
