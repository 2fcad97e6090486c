import { useSession } from '../api/use-session.ts';
import { useAuth } from '../api/auth-context.ts';

/** Who is signed in, to which tenant, with which roles; and the way out. */
export function UserMenu() {
  const { username, signOut } = useAuth();
  const session = useSession();
  if (!session.data) return null;
  if (session.data.dev) {
    return (
      <span
        className="shrink-0 rounded bg-amber-500/20 px-2 py-0.5 text-xs text-amber-200"
        data-testid="dev-login"
      >
        Embedded mode: signed in automatically as tenant “{session.data.tenant_id}” (
        {session.data.roles.join(', ')})
      </span>
    );
  }
  return (
    <span className="flex shrink-0 items-center gap-2 text-xs" data-testid="user-menu">
      <span className="text-slate-300">
        {username} · {session.data.tenant_id} · {session.data.roles.join(', ') || 'no role'}
      </span>
      {signOut ? (
        <button className="rounded bg-slate-700 px-2 py-0.5 hover:bg-slate-600" onClick={signOut}>
          Sign out
        </button>
      ) : null}
    </span>
  );
}
