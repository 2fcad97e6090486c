import { createHash, randomBytes } from 'node:crypto';

/**
 * The stack's Keycloak (`scripts/stack up --with-keycloak`, realms from infra/keycloak). Tests get real tokens from it
 * the way the web app does (authorization code + PKCE through the login form) or the way a service does (client
 * credentials), never by minting them.
 */
export const KEYCLOAK_URL = process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8180';
export const REALMS = ['firm-alpha', 'firm-beta'] as const;
export type Realm = (typeof REALMS)[number];
export type RealmRole = 'admin' | 'analyst' | 'viewer';

export const issuerOf = (realm: Realm) => `${KEYCLOAK_URL}/realms/${realm}`;
/** Users of infra/keycloak/realm-*.json: `<alpha|beta>-<role>-<1|2>`, password from FLOWFORGE_DEV_PASSWORD. */
export const userOf = (realm: Realm, role: RealmRole, n: 1 | 2 = 1) =>
  `${realm === 'firm-alpha' ? 'alpha' : 'beta'}-${role}-${n}`;
export const DEV_PASSWORD = process.env.FLOWFORGE_DEV_PASSWORD ?? 'flowforge';
const SERVICE_SECRET = process.env.FLOWFORGE_SERVICE_SECRET ?? 'flowforge-service-dev-secret';

/**
 * Whether Keycloak answers. CI sets FLOWFORGE_REQUIRE_KEYCLOAK=1 (it starts the stack with --with-keycloak), so there a
 * missing Keycloak fails the run instead of skipping the tests.
 */
export async function keycloakReady(): Promise<boolean> {
  try {
    const res = await fetch(`${issuerOf('firm-beta')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(3_000),
    });
    if (res.ok) return true;
  } catch {
    // fall through
  }
  if (process.env.FLOWFORGE_REQUIRE_KEYCLOAK === '1') {
    throw new Error(`Keycloak is not answering on ${KEYCLOAK_URL}: run scripts/stack up --with-keycloak`);
  }
  console.warn(
    `Skipping Keycloak tests: no Keycloak on ${KEYCLOAK_URL} (start it with scripts/stack up --with-keycloak)`,
  );
  return false;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
}

async function tokenRequest(realm: Realm, form: Record<string, string>): Promise<TokenSet> {
  const res = await fetch(`${issuerOf(realm)}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams(form),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as TokenSet;
}

/** A service account's token (the confidential `flowforge-service` client). */
export const serviceToken = (realm: Realm) =>
  tokenRequest(realm, {
    grant_type: 'client_credentials',
    client_id: 'flowforge-service',
    client_secret: SERVICE_SECRET,
  });

const cookieJar = () => {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    keep(res: Response) {
      for (const line of res.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
    },
  };
};

const decodeEntities = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#x3D;|&#61;/g, '=')
    .replace(/&quot;/g, '"');

/**
 * A user's tokens through Keycloak's own login form: the web app's public client, authorization code + PKCE (S256).
 * The redirect is never followed: the code is read from the Location header.
 */
export async function userTokens(realm: Realm, username: string, password = DEV_PASSWORD): Promise<TokenSet> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = 'http://127.0.0.1:1/auth/callback';
  const jar = cookieJar();
  const authorize = new URL(`${issuerOf(realm)}/protocol/openid-connect/auth`);
  authorize.search = new URLSearchParams({
    client_id: 'flowforge-web',
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid',
    state: randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const page = await fetch(authorize, { redirect: 'manual' });
  jar.keep(page);
  const html = await page.text();
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no login form on Keycloak's page (status ${page.status})`);
  const login = await fetch(decodeEntities(action), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header() },
    body: new URLSearchParams({ username, password, credentialId: '' }),
  });
  const location = login.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (!code) throw new Error(`Keycloak refused the login of ${username} (status ${login.status})`);
  return tokenRequest(realm, {
    grant_type: 'authorization_code',
    client_id: 'flowforge-web',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
}
