import type { ApiKeyCreated, WidgetOut } from '@flowforge/edge/api-types';
import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { useApiKeys } from '../api/use-api-keys.ts';
import { ApiKeyTable } from '../ui/ApiKeyTable.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { embedSnippets, type EmbedSnippets } from './embed-snippets.ts';

const EXPIRIES = [
  { label: 'Never', days: null },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
] as const;

/** The API's message plus the fields it refused (e.g. an origin that is not `https://host[:port]`). */
function errorText(error: Error): string {
  const issues = error instanceof ApiError && Array.isArray(error.details) ? error.details : [];
  return [
    error.message,
    ...issues.map((i: { path?: string; message?: string }) => `${i.path}: ${i.message}`),
  ].join(' — ');
}

const SNIPPETS: { id: keyof EmbedSnippets; label: string; hint: string }[] = [
  { id: 'node', label: 'Node', hint: 'Your server mints a token for each viewer of your page.' },
  { id: 'curl', label: 'curl', hint: 'The same token request, to try it from a terminal.' },
  {
    id: 'sdk',
    label: 'SDK',
    hint: 'Your page: the SDK frames the widget and renews the token before it expires.',
  },
  { id: 'iframe', label: 'iframe', hint: 'Without the SDK: one token per page view, no renewal.' },
];

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50"
      onClick={() =>
        void navigator.clipboard.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

/**
 * "Embed…" on a widget (admins): creates an API key scoped to this widget with the sites allowed to frame it and an
 * expiry, shows the key once with copy-ready snippets, and lists the keys already covering the widget (revocable).
 */
export function EmbedDialog({
  widget,
  title,
  onClose,
}: {
  widget: WidgetOut;
  title: string;
  onClose: () => void;
}) {
  const { list, create, revoke } = useApiKeys();
  const [name, setName] = useState(`Embed: ${title}`);
  const [origins, setOrigins] = useState('');
  const [expiry, setExpiry] = useState<number | null>(null);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [tab, setTab] = useState<keyof EmbedSnippets>('node');
  const covering = (list.data?.api_keys ?? []).filter((k) => k.scoped_widget_ids.includes(widget.id));
  const snippets = created ? embedSnippets(window.location.origin, widget.id, created.key) : null;

  const submit = () =>
    create.mutate(
      {
        name: name.trim(),
        widget_ids: [widget.id],
        allowed_origins: origins.split(/[\s,]+/).filter(Boolean),
        expires_at: expiry === null ? null : new Date(Date.now() + expiry * 86_400_000).toISOString(),
      },
      { onSuccess: setCreated },
    );

  return (
    <Dialog title={`Embed “${title}”`} onClose={onClose} testId="embed-dialog" wide>
      {snippets && created ? (
        <div className="space-y-3 text-sm">
          <div className="rounded bg-amber-50 p-2" data-testid="embed-key">
            <p className="font-semibold">Copy the API key now: it is never shown again.</p>
            <p className="mt-1 flex items-center gap-2">
              <code className="min-w-0 flex-1 select-all break-all font-mono text-xs">{created.key}</code>
              <CopyButton text={created.key} label="Copy key" />
            </p>
            <p className="mt-1 text-xs text-slate-600">
              Keep it on your server. Browsers only ever get short-lived embed tokens minted with it.
            </p>
          </div>
          <div role="tablist" aria-label="Snippets" className="flex gap-1 border-b border-slate-200">
            {SNIPPETS.map((s) => (
              <button
                key={s.id}
                role="tab"
                aria-selected={tab === s.id}
                className={`border-b-2 px-2 py-1 text-xs ${tab === s.id ? 'border-indigo-600 font-semibold' : 'border-transparent text-slate-600'}`}
                onClick={() => setTab(s.id)}
              >
                {s.label}
              </button>
            ))}
          </div>
          <p className="text-xs text-slate-600">{SNIPPETS.find((s) => s.id === tab)!.hint}</p>
          <pre
            className="max-h-64 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100"
            data-testid={`snippet-${tab}`}
          >
            {snippets[tab]}
          </pre>
          <div className="flex justify-end gap-2">
            <CopyButton text={snippets[tab]} label="Copy snippet" />
            <button type="button" className="rounded bg-indigo-600 px-3 py-1 text-white" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form
          className="space-y-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <label className="block">
            Key name
            <input
              className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1"
              value={name}
              maxLength={255}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="block">
            Sites allowed to show it (one origin per line)
            <textarea
              className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs"
              rows={3}
              placeholder="https://portal.example.com"
              value={origins}
              onChange={(e) => setOrigins(e.target.value)}
            />
          </label>
          <label className="block">
            Key expires
            <select
              className="ml-2 rounded border border-slate-300 px-1 py-0.5"
              value={expiry ?? ''}
              onChange={(e) => setExpiry(e.target.value === '' ? null : Number(e.target.value))}
            >
              {EXPIRIES.map((x) => (
                <option key={x.label} value={x.days ?? ''}>
                  {x.label}
                </option>
              ))}
            </select>
          </label>
          {create.isError ? (
            <p role="alert" className="text-red-700">
              {errorText(create.error)}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <button type="button" className="rounded px-3 py-1 hover:bg-slate-100" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className="rounded bg-indigo-600 px-3 py-1 text-white disabled:opacity-50"
              disabled={create.isPending || name.trim() === ''}
            >
              Create key
            </button>
          </div>
        </form>
      )}
      <h3 className="mt-4 mb-1 text-sm font-semibold">Keys for this widget</h3>
      <ApiKeyTable
        keys={covering}
        widgetName={(id) => (id === widget.id ? title : id.slice(0, 8))}
        onRevoke={(id) => revoke.mutate(id)}
        revoking={revoke.isPending}
      />
    </Dialog>
  );
}
