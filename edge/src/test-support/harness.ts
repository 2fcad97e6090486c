import type { Hono } from 'hono';
import { createApp } from '../app.ts';
import { parseConfig, type Config } from '../config.ts';
import type { AppEnv } from '../env.ts';
import { createNodeDeps, type NodeDeps } from '../node-deps.ts';
import { AUDIENCE, ISSUER, startJwks, type Jwks } from './jwks.ts';
import { stackEnv } from './stack.ts';

export interface Harness {
  app: Hono<AppEnv>;
  node: NodeDeps;
  jwks: Jwks;
  config: Config;
  /** `app.request` with a bearer token for the tenant (role admin unless given) and a JSON body. */
  as(tenant: string, role?: 'viewer' | 'analyst' | 'admin'): Client;
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
  const tokens = new Map<string, Promise<string>>();
  const as = (tenant: string, role: 'viewer' | 'analyst' | 'admin' = 'admin'): Client => {
    const key = `${tenant}/${role}`;
    if (!tokens.has(key)) tokens.set(key, jwks.token(tenant, role));
    const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${await tokens.get(key)}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    return {
      get: (path, headers) => send('GET', path, undefined, headers),
      post: (path, body, headers) => send('POST', path, body ?? {}, headers),
      patch: (path, body) => send('PATCH', path, body),
      put: (path, body) => send('PUT', path, body),
      delete: (path) => send('DELETE', path),
    };
  };
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
