import type { Hono } from 'hono';
import { createApp } from '../app.ts';
import { parseConfig, type Config } from '../config.ts';
import type { AppEnv } from '../env.ts';
import { createNodeDeps, type NodeDeps } from '../node-deps.ts';
import { AUDIENCE, ISSUER, startJwks, type Jwks } from './jwks.ts';
import { stackEnv } from './stack.ts';

/** Authenticated clients per tenant: what the shared suites need, whatever runtime serves the app. */
export interface TenantClients {
  as(tenant: string, role?: 'viewer' | 'analyst' | 'admin'): Client;
}

export interface Harness extends TenantClients {
  app: Hono<AppEnv>;
  node: NodeDeps;
  jwks: Jwks;
  config: Config;
  close(): Promise<void>;
}

export interface Client {
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  patch(path: string, body: unknown): Promise<Response>;
  put(path: string, body: unknown): Promise<Response>;
  delete(path: string): Promise<Response>;
}

/** The app on the Node composition root against the real stack, with a loopback JWKS. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const jwks = await startJwks();
  const config = parseConfig({
    APP_ENV: 'test',
    ...stackEnv,
    JWKS_URL: jwks.url,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    ...env,
  });
  const node = await createNodeDeps(config);
  const app = createApp(node.deps);
  const as = bearerClients(jwks, async (path, init) => app.request(path, init));
  return {
    app,
    node,
    jwks,
    config,
    as,
    async close() {
      await node.close();
      await jwks.close();
    },
  };
}

/** Clients that send a bearer token for the tenant (role admin unless given) and JSON bodies through `send`. */
export function bearerClients(
  jwks: Jwks,
  send: (path: string, init: RequestInit) => Promise<Response>,
): TenantClients['as'] {
  const tokens = new Map<string, Promise<string>>();
  return (tenant, role = 'admin') => {
    const key = `${tenant}/${role}`;
    if (!tokens.has(key)) tokens.set(key, jwks.token(tenant, role));
    const request = async (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      send(path, {
        method,
        headers: {
          authorization: `Bearer ${await tokens.get(key)}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    return {
      get: (path, headers) => request('GET', path, undefined, headers),
      post: (path, body, headers) => request('POST', path, body ?? {}, headers),
      patch: (path, body) => request('PATCH', path, body),
      put: (path, body) => request('PUT', path, body),
      delete: (path) => request('DELETE', path),
    };
  };
}
