import type { SessionOut } from '@flowforge/edge/api-types';
import { useSession } from './use-session.ts';

type Role = SessionOut['roles'][number];

export interface Permissions {
  /** Create and change workflows, dashboards and widgets (analyst, admin). */
  canEdit: boolean;
  /** Manage API keys and data ACLs, read the audit log (admin). */
  isAdmin: boolean;
  /** Why an edit control is disabled, for its tooltip and the read-only banner. */
  editRefusal: string | null;
}

const RANK: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };

export function permissionsOf(roles: readonly Role[]): Permissions {
  const best = Math.max(0, ...roles.map((r) => RANK[r]));
  return {
    canEdit: best >= RANK.analyst,
    isAdmin: best >= RANK.admin,
    editRefusal:
      best >= RANK.analyst
        ? null
        : `Read-only: your role (${roles.join(', ') || 'none'}) cannot edit. Ask an admin for the analyst role.`,
  };
}

/** What the signed-in user may do; the edge enforces the same rules, the UI only hides or disables controls. */
export function usePermissions(): Permissions {
  const session = useSession();
  return permissionsOf(session.data?.roles ?? []);
}
