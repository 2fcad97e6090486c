import type { ApiKeyOut } from '@flowforge/edge/api-types';

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

function status(key: ApiKeyOut): string | null {
  if (key.revoked_at) return `revoked ${date(key.revoked_at)}`;
  if (key.expires_at && Date.parse(key.expires_at) <= Date.now()) return 'expired';
  return null;
}

/**
 * API keys by prefix (the secret is never shown again), what they may read and where they may be framed, with
 * revoke: the admin keys page lists every key, a widget's Embed… dialog those covering the widget.
 */
export function ApiKeyTable({
  keys,
  widgetName,
  onRevoke,
  revoking,
}: {
  keys: readonly ApiKeyOut[];
  /** The title of a widget in a key's scope (its id when unknown). */
  widgetName: (id: string) => string;
  onRevoke: (id: string) => void;
  revoking?: boolean;
}) {
  if (keys.length === 0) return <p className="text-sm text-slate-500">No API keys yet.</p>;
  return (
    <table className="w-full text-left text-sm [&_td]:py-1 [&_td]:pr-3 [&_th]:pr-3" data-testid="api-keys">
      <thead className="text-xs text-slate-500">
        <tr>
          <th>Name</th>
          <th>Prefix</th>
          <th>Scope</th>
          <th>Origins</th>
          <th>Last used</th>
          <th>Expires</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => {
          const ended = status(k);
          return (
            <tr
              key={k.id}
              className={`border-t border-slate-100 align-top ${ended ? 'text-slate-400' : ''}`}
              data-testid="api-key-row"
              data-prefix={k.prefix}
            >
              <td>{k.name}</td>
              <td className="font-mono">{k.prefix}…</td>
              <td>{k.scoped_widget_ids.map(widgetName).join(', ')}</td>
              <td>{k.allowed_origins.join(', ') || 'none (no framing)'}</td>
              <td>{date(k.last_used_at)}</td>
              <td>{k.expires_at ? date(k.expires_at) : 'never'}</td>
              <td className="whitespace-nowrap">
                {ended ?? (
                  <button
                    className="rounded px-2 py-0.5 text-red-700 hover:bg-red-50 disabled:opacity-50"
                    disabled={revoking}
                    onClick={() => onRevoke(k.id)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
