import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { AuthConfigOut } from '@flowforge/edge/api-types';
import type { UserManager } from 'oidc-client-ts';
import { useEffect, useState, type ReactNode } from 'react';
import { AuthContext, type Realm } from '../api/auth-context.ts';
import { setBearerSource } from '../api/bearer.ts';
import { api, ApiError } from '../api/client.ts';
import { CALLBACK_PATH, managerFor, rememberedTenant, rememberTenant, returnPathOf } from './oidc.ts';

type AuthState =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  /** The embedded mode: its server signs same-origin calls in as the development tenant. */
  | { status: 'automatic' }
  | { status: 'signed-in'; realm: Realm; manager: UserManager; username: string }
  | { status: 'signed-out'; config: AuthConfigOut; error: string | null };

const here = () => `${location.pathname}${location.search}`;

function sendTokensOf(manager: UserManager): void {
  setBearerSource({
    token: async () => (await manager.getUser())?.access_token ?? null,
    async renew() {
      try {
        return (await manager.signinSilent())?.access_token ?? null;
      } catch {
        // The session at Keycloak is gone too: back to its login page, then here.
        await manager.signinRedirect({ state: { returnTo: here() } });
        return null;
      }
    },
  });
}

async function establish(queryClient: QueryClient): Promise<AuthState> {
  // Nobody chose an organisation here before: ask who we are beside the config instead of after it (the embedded mode
  // signs us in automatically, and this is its every page load).
  const remembered = rememberedTenant();
  const automatic = remembered ? null : api.me();
  automatic?.catch(() => undefined);
  const config = await api.authConfig();
  const realm = config.realms.find((r) => r.tenant === remembered);
  if (realm) {
    const manager = await managerFor(realm, config.client_id);
    if (location.pathname === CALLBACK_PATH) {
      try {
        const user = await manager.signinCallback();
        history.replaceState(null, '', returnPathOf(user));
      } catch (error) {
        history.replaceState(null, '', '/');
        return { status: 'signed-out', config, error: `Sign-in failed: ${(error as Error).message}` };
      }
    }
    let user = await manager.getUser();
    if (user?.expired) user = await manager.signinSilent().catch(() => null);
    if (user && !user.expired) {
      sendTokensOf(manager);
      // Roles decide which controls render: know them before the first page does.
      queryClient.setQueryData(['session'], await api.me());
      const username = String(user.profile.preferred_username ?? user.profile.email ?? user.profile.sub);
      return { status: 'signed-in', realm, manager, username };
    }
  }
  try {
    queryClient.setQueryData(['session'], await (automatic ?? api.me()));
    return { status: 'automatic' };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401)
      return { status: 'signed-out', config, error: null };
    throw error;
  }
}

// The sign-in callback's code can be redeemed once: React's development double effects must share one attempt.
let establishing: Promise<AuthState> | null = null;

/** Renders the app once the user is signed in (or signed in automatically); otherwise the tenant picker. */
export function AuthGate({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  useEffect(() => {
    establishing ??= establish(queryClient);
    establishing.then(setState, (error: Error) => setState({ status: 'failed', message: error.message }));
  }, [queryClient]);

  switch (state.status) {
    case 'loading':
      return <p className="p-8 text-sm text-slate-500">Signing in…</p>;
    case 'failed':
      return (
        <p role="alert" className="p-8 text-sm text-red-700">
          Cannot reach FlowForge: {state.message}
        </p>
      );
    case 'signed-out':
      return <SignInPage config={state.config} error={state.error} />;
    case 'automatic':
      return (
        <AuthContext.Provider value={{ realm: null, username: null, signOut: null }}>
          {children}
        </AuthContext.Provider>
      );
    case 'signed-in': {
      const signOut = () => {
        queryClient.clear();
        void state.manager.signoutRedirect();
      };
      return (
        <AuthContext.Provider value={{ realm: state.realm, username: state.username, signOut }}>
          {children}
        </AuthContext.Provider>
      );
    }
  }
}

function SignInPage({ config, error }: { config: AuthConfigOut; error: string | null }) {
  const signIn = (realm: Realm) => {
    rememberTenant(realm.tenant);
    void managerFor(realm, config.client_id).then((manager) =>
      manager.signinRedirect({ state: { returnTo: here() } }),
    );
  };
  const last = rememberedTenant();
  return (
    <main className="flex h-screen items-center justify-center bg-slate-100">
      <div className="w-96 rounded-lg bg-white p-6 shadow">
        <h1 className="text-lg font-bold">⚒ FlowForge</h1>
        <p className="mt-1 text-sm text-slate-600">Choose your organisation to sign in.</p>
        {error ? (
          <p role="alert" className="mt-3 rounded bg-red-50 px-2 py-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <ul className="mt-4 space-y-2" aria-label="Organisations">
          {config.realms.map((realm) => (
            <li key={realm.issuer}>
              <button
                className={`w-full rounded border px-3 py-2 text-left text-sm hover:bg-indigo-50 ${
                  realm.tenant === last ? 'border-indigo-500' : 'border-slate-300'
                }`}
                onClick={() => signIn(realm)}
              >
                Sign in to <span className="font-semibold">{realm.tenant}</span>
              </button>
            </li>
          ))}
        </ul>
        {config.realms.length === 0 ? (
          <p className="mt-4 text-sm text-slate-600">This server trusts no identity provider (JWT_ISSUER).</p>
        ) : null}
      </div>
    </main>
  );
}
