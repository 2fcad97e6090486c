import type { User, UserManager } from 'oidc-client-ts';
import type { Realm } from '../api/auth-context.ts';

export const CALLBACK_PATH = '/auth/callback';
const REALM_KEY = 'flowforge.realm';

/** The realm picked last on this browser, so a returning user lands on their own tenant's login page. */
export const rememberedTenant = (): string | null => localStorage.getItem(REALM_KEY);
export const rememberTenant = (tenant: string) => localStorage.setItem(REALM_KEY, tenant);

const managers = new Map<string, Promise<UserManager>>();

/**
 * One oidc-client-ts manager per realm: authorization code + PKCE with the public client, tokens in sessionStorage,
 * renewed in the background with the refresh token before they expire. The library loads with the first realm used:
 * the embedded mode and every page before a sign-in never download it.
 */
export function managerFor(realm: Realm, clientId: string): Promise<UserManager> {
  let manager = managers.get(realm.issuer);
  if (!manager) {
    manager = import('oidc-client-ts').then(
      ({ UserManager, WebStorageStateStore }) =>
        new UserManager({
          authority: realm.issuer,
          client_id: clientId,
          redirect_uri: `${location.origin}${CALLBACK_PATH}`,
          post_logout_redirect_uri: `${location.origin}/`,
          response_type: 'code',
          scope: 'openid profile email',
          automaticSilentRenew: true,
          userStore: new WebStorageStateStore({ store: sessionStorage }),
        }),
    );
    managers.set(realm.issuer, manager);
  }
  return manager;
}

/** Where the user wanted to go before the login page; only same-origin paths. */
export function returnPathOf(user: User | undefined): string {
  const state = user?.state as { returnTo?: unknown } | undefined;
  const path = typeof state?.returnTo === 'string' ? state.returnTo : '/';
  return path.startsWith('/') && !path.startsWith('//') ? path : '/';
}
