import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';

/** Users and roles as the tenant's Keycloak realm reports them; changes are made in Keycloak's console. */
export function Members() {
  const members = useQuery({ queryKey: ['members'], queryFn: ({ signal }) => api.listMembers(signal) });
  if (members.isError) {
    return (
      <p role="alert" className="text-sm text-red-700">
        {members.error.message}
      </p>
    );
  }
  return (
    <div className="max-w-4xl space-y-2">
      <p className="text-sm text-slate-600">
        Read-only: users and roles are managed in Keycloak (link above). viewer reads, analyst edits, admin
        also manages keys, data access and reads the audit log.
      </p>
      <table className="w-full text-left text-sm" data-testid="members">
        <thead className="text-xs text-slate-500">
          <tr>
            <th>User</th>
            <th>Email</th>
            <th>Roles</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {(members.data?.members ?? []).map((m) => (
            <tr key={m.id} className="border-t border-slate-100">
              <td className="font-mono text-xs">{m.username}</td>
              <td>{m.email ?? '—'}</td>
              <td>{m.roles.join(', ')}</td>
              <td>{m.enabled ? 'active' : 'disabled'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
