import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { parseConfig } from '../../config.ts';
import type { AppEnv, Role } from '../../env.ts';
import { createNodeDeps, type NodeDeps } from '../../node-deps.ts';
import { tradesGraph } from '../../test-support/graphs.ts';
import {
  issuerOf,
  keycloakReady,
  serviceToken,
  userOf,
  userTokens,
  type Realm,
} from '../../test-support/keycloak.ts';
import { stackEnv } from '../../test-support/stack.ts';
import { trustedIssuers } from './issuers.ts';

// Tokens issued by the stack's Keycloak (both realms), verified by the edge with its default issuer list.
const ready = await keycloakReady();

let node: NodeDeps;
let app: Hono<AppEnv>;
const tokens = new Map<string, string>();

async function token(realm: Realm, role: Role): Promise<string> {
  const key = `${realm}/${role}`;
  if (!tokens.has(key)) tokens.set(key, (await userTokens(realm, userOf(realm, role))).access_token);
  return tokens.get(key)!;
}

const call = (tok: string, method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${tok}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe.skipIf(!ready)('Keycloak-issued tokens', () => {
  beforeAll(async () => {
    node = await createNodeDeps(parseConfig({ APP_ENV: 'test', ...stackEnv }));
    app = createApp(node.deps);
  });
  afterAll(() => node?.close());

  it('signs a user in through the login form: tenant from the realm, roles from Keycloak', async () => {
    const res = await call(await token('firm-alpha', 'viewer'), 'GET', '/api/v1/me');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      sub: expect.any(String),
      tenant_id: 'firm-alpha',
      email: 'alpha-viewer-1@firm-alpha.example',
      roles: ['viewer'],
      dev: false,
    });
  });

  it('accepts the service account of the confidential client (client credentials)', async () => {
    const { access_token } = await serviceToken('firm-beta');
    const res = await call(access_token, 'GET', '/api/v1/me');
    expect(await res.json()).toMatchObject({ tenant_id: 'firm-beta', roles: ['analyst'] });
  });

  it('enforces every bearer route’s minimum role for each Keycloak role', async () => {
    const spec = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { 'x-required-role'?: Role; requestBody?: unknown }>>;
    };
    const rank: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };
    const routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op['x-required-role'])
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          // Unknown ids: a permitted caller gets 404/422, never a side effect on the realm's shared tenant.
          path: path.replace(/\{version\}/g, '1').replace(/\{\w+\}/g, crypto.randomUUID()),
          min: op['x-required-role']!,
          body: op.requestBody ? {} : undefined,
        })),
    );
    expect(routes.length).toBeGreaterThan(20);
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const role of ['viewer', 'analyst', 'admin'] as const) {
      const tok = await token('firm-alpha', role);
      for (const r of routes) {
        const res = await call(tok, r.method, r.path, r.body);
        const allowed = rank[role] >= rank[r.min];
        outcomes.push(`${role} ${r.method} ${r.path}: ${res.status === 403 ? 'forbidden' : 'allowed'}`);
        expected.push(`${role} ${r.method} ${r.path}: ${allowed ? 'allowed' : 'forbidden'}`);
        expect(res.status, `${role} ${r.method} ${r.path}`).not.toBe(401);
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it('keeps tenants apart: a firm-beta user neither lists nor opens a firm-alpha workflow', async () => {
    const name = `alpha-only ${crypto.randomUUID()}`;
    const created = await call(await token('firm-alpha', 'analyst'), 'POST', '/api/v1/workflows', {
      name,
      graph: tradesGraph(),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const alphaViewer = await token('firm-alpha', 'viewer');
    expect((await call(alphaViewer, 'GET', `/api/v1/workflows/${id}`)).status).toBe(200);
    const edit = await call(alphaViewer, 'PATCH', `/api/v1/workflows/${id}`, { name: 'renamed' });
    expect(edit.status).toBe(403);

    const beta = await token('firm-beta', 'admin');
    const list = (await (await call(beta, 'GET', '/api/v1/workflows')).json()) as {
      workflows: { id: string; name: string }[];
    };
    expect(list.workflows.map((w) => w.id)).not.toContain(id);
    const direct = await call(beta, 'GET', `/api/v1/workflows/${id}`);
    expect(direct.status).toBe(404);
  });

  it('refuses a realm the edge does not trust, and a realm token whose tenant is pinned elsewhere', async () => {
    const betaToken = await token('firm-beta', 'admin');
    const meWith = (JWT_ISSUER: string) => {
      const config = parseConfig({ APP_ENV: 'test', JWT_ISSUER });
      return createApp({ ...node.deps, config, issuers: trustedIssuers(config) }).request('/api/v1/me', {
        headers: { authorization: `Bearer ${betaToken}` },
      });
    };
    const untrusted = await meWith(issuerOf('firm-alpha'));
    expect(untrusted.status).toBe(401);
    expect(await untrusted.json()).toMatchObject({ error: { message: 'Token claim "iss" is invalid' } });

    const pinned = await meWith(`${issuerOf('firm-beta')}=firm-alpha`);
    expect(pinned.status).toBe(401);
    expect(await pinned.json()).toMatchObject({
      error: { message: "Token tenant_id does not belong to its issuer's tenant" },
    });
    expect((await meWith(`${issuerOf('firm-beta')}=firm-beta`)).status).toBe(200);
  });

  it('fetches each realm’s keys from JWKS_URL with {realm} filled in (a cluster reaches Keycloak by service name)', async () => {
    const config = parseConfig({
      APP_ENV: 'test',
      JWT_ISSUER: `${issuerOf('firm-alpha')}=firm-alpha,${issuerOf('firm-beta')}=firm-beta`,
      JWKS_URL: 'http://localhost:8180/realms/{realm}/protocol/openid-connect/certs',
    });
    const viaTemplate = createApp({ ...node.deps, config, issuers: trustedIssuers(config) });
    for (const realm of ['firm-alpha', 'firm-beta'] as const) {
      const res = await viaTemplate.request('/api/v1/me', {
        headers: { authorization: `Bearer ${await token(realm, 'viewer')}` },
      });
      expect(await res.json()).toMatchObject({ tenant_id: realm });
    }
    expect(() =>
      parseConfig({
        APP_ENV: 'test',
        JWT_ISSUER: 'http://a/realms/x,http://a/realms/y',
        JWKS_URL: 'http://k/certs',
      }),
    ).toThrow(/must contain \{realm\}/);
  });

  it('lists the realm’s members and roles as Keycloak reports them, for admins of that tenant only', async () => {
    const res = await call(await token('firm-alpha', 'admin'), 'GET', '/api/v1/members');
    expect(res.status).toBe(200);
    const { members } = (await res.json()) as { members: { username: string; roles: string[] }[] };
    const roles = Object.fromEntries(members.map((m) => [m.username, m.roles]));
    expect(roles).toMatchObject({
      'alpha-admin-1': ['admin'],
      'alpha-admin-2': ['admin'],
      'alpha-analyst-1': ['analyst'],
      'alpha-viewer-2': ['viewer'],
      'service-account-flowforge-service': ['analyst'],
    });
    expect(members.some((m) => m.username.startsWith('beta-'))).toBe(false);
    const analyst = await call(await token('firm-alpha', 'analyst'), 'GET', '/api/v1/members');
    expect(analyst.status).toBe(403);
  });

  it('tells the web app where to sign in', async () => {
    const res = await app.request('/api/v1/auth/config');
    expect(await res.json()).toEqual({
      client_id: 'flowforge-web',
      realms: [
        { tenant: 'firm-alpha', issuer: issuerOf('firm-alpha') },
        { tenant: 'firm-beta', issuer: issuerOf('firm-beta') },
      ],
    });
  });
});
