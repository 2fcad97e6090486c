import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import { saveFile } from '../ui/save-file.ts';
import { auditCsv } from './audit-csv.ts';

const LIMIT = 1000;

/** Every write and every embed key use in the tenant, newest first, filterable and exportable. */
export function AuditLog() {
  const audit = useQuery({ queryKey: ['audit'], queryFn: ({ signal }) => api.listAudit(LIMIT, signal) });
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const entries = audit.data?.entries ?? [];
  const actions = useMemo(() => [...new Set(entries.map((e) => e.action))].sort(), [entries]);
  const shown = entries.filter(
    (e) => (action === '' || e.action === action) && e.actor.toLowerCase().includes(actor.toLowerCase()),
  );
  return (
    <div className="max-w-6xl space-y-3">
      <div className="flex items-center gap-2 text-sm">
        <select
          aria-label="Action"
          className="rounded border border-slate-300 px-2 py-1"
          value={action}
          onChange={(e) => setAction(e.target.value)}
        >
          <option value="">Every action</option>
          {actions.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
        <input
          aria-label="Actor"
          placeholder="Actor contains…"
          className="rounded border border-slate-300 px-2 py-1"
          value={actor}
          onChange={(e) => setActor(e.target.value)}
        />
        <span className="text-slate-500">
          {shown.length} of {entries.length} entries{entries.length === LIMIT ? ` (the latest ${LIMIT})` : ''}
        </span>
        <button
          className="ml-auto rounded border border-slate-300 px-2 py-1 hover:bg-slate-50 disabled:opacity-50"
          disabled={shown.length === 0}
          onClick={() => saveFile('flowforge-audit.csv', auditCsv(shown))}
        >
          Export CSV
        </button>
      </div>
      {audit.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {audit.error.message}
        </p>
      ) : null}
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th>Time</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Target</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
            <tr key={e.id} className="border-t border-slate-100">
              <td className="whitespace-nowrap">{new Date(e.created_at).toLocaleString()}</td>
              <td className="font-mono text-xs">{e.actor}</td>
              <td>{e.action}</td>
              <td className="font-mono text-xs">
                {e.target_type}
                {e.target_id ? ` ${e.target_id}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
