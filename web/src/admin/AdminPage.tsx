import { NavLink, Navigate, Route, Routes } from 'react-router';
import { useAuth } from '../api/auth-context.ts';
import { usePermissions } from '../api/permissions.ts';
import { AclEditor } from './AclEditor.tsx';
import { ApiKeys } from './ApiKeys.tsx';
import { AuditLog } from './AuditLog.tsx';
import { Members } from './Members.tsx';

const TABS = [
  { path: 'acl', label: 'Data access (ACL)' },
  { path: 'keys', label: 'API keys' },
  { path: 'audit', label: 'Audit log' },
  { path: 'members', label: 'Members' },
];

/** Keycloak's console for the signed-in realm: members and roles are managed there, not in FlowForge. */
const consoleUrl = (issuer: string) => issuer.replace(/\/realms\/([^/]+)$/, '/admin/$1/console/');

export function AdminPage() {
  const { isAdmin } = usePermissions();
  const { realm } = useAuth();
  if (!isAdmin) {
    return (
      <p role="alert" className="p-8 text-sm text-slate-700">
        The admin pages need the admin role.
      </p>
    );
  }
  return (
    <div className="flex h-full flex-col">
      <nav className="flex items-center gap-1 border-b border-slate-200 bg-white px-3" aria-label="Admin">
        {TABS.map((tab) => (
          <NavLink
            key={tab.path}
            to={`/admin/${tab.path}`}
            className={({ isActive }) =>
              `border-b-2 px-3 py-2 text-sm ${isActive ? 'border-indigo-600 font-semibold' : 'border-transparent text-slate-600'}`
            }
          >
            {tab.label}
          </NavLink>
        ))}
        {realm ? (
          <a
            className="ml-auto text-sm text-indigo-700 hover:underline"
            href={consoleUrl(realm.issuer)}
            target="_blank"
            rel="noreferrer"
          >
            Members and roles in Keycloak ↗
          </a>
        ) : null}
      </nav>
      <div className="min-h-0 flex-1 overflow-auto p-4">
        <Routes>
          <Route index element={<Navigate to="acl" replace />} />
          <Route path="acl" element={<AclEditor />} />
          <Route path="keys" element={<ApiKeys />} />
          <Route path="audit" element={<AuditLog />} />
          <Route path="members" element={<Members />} />
        </Routes>
      </div>
    </div>
  );
}
