import { useQuery } from '@tanstack/react-query';
import type { ApiKeyCreated } from '@flowforge/edge/api-types';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { useApiKeys } from '../api/use-api-keys.ts';
import { ApiKeyTable } from '../ui/ApiKeyTable.tsx';

/** Embed API keys: created with a widget scope, shown once, listed by prefix, revoked at once. */
export function ApiKeys() {
  const { list: keys, create: createKey, revoke } = useApiKeys();
  const widgets = useQuery({
    queryKey: ['widgets', 'all'],
    queryFn: ({ signal }) => api.listAllWidgets(signal),
  });
  const [name, setName] = useState('');
  const [widgetIds, setWidgetIds] = useState<string[]>([]);
  const [origins, setOrigins] = useState('');
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const create = () =>
    createKey.mutate(
      { name, widget_ids: widgetIds, allowed_origins: origins.split(/[\s,]+/).filter(Boolean) },
      {
        onSuccess: (key) => {
          setCreated(key);
          setName('');
          setWidgetIds([]);
        },
      },
    );
  const widgetName = (id: string) => {
    const widget = widgets.data?.widgets.find((w) => w.id === id);
    return widget ? String(widget.config.title ?? widget.widget_type) : id.slice(0, 8);
  };

  return (
    <div className="max-w-5xl space-y-6">
      <form
        className="space-y-2 rounded border border-slate-200 bg-white p-3"
        onSubmit={(e) => {
          e.preventDefault();
          create();
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
          disabled={createKey.isPending || name.trim() === '' || widgetIds.length === 0}
        >
          Create key
        </button>
        {createKey.isError ? (
          <p role="alert" className="text-sm text-red-700">
            {createKey.error.message}
          </p>
        ) : null}
        {created ? (
          <p className="rounded bg-amber-50 p-2 text-sm" data-testid="new-key">
            Copy the key now, it is never shown again:{' '}
            <code className="select-all font-mono">{created.key}</code>
          </p>
        ) : null}
      </form>

      <ApiKeyTable
        keys={keys.data?.api_keys ?? []}
        widgetName={widgetName}
        onRevoke={(id) => revoke.mutate(id)}
        revoking={revoke.isPending}
      />
    </div>
  );
}
