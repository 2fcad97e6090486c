import { base64url, createRemoteJWKSet, SignJWT, UnsecuredJWT } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { parseConfig } from '../../config.ts';
import { startHarness, type Harness } from '../../test-support/harness.ts';
import { AUDIENCE, ISSUER } from '../../test-support/jwks.ts';
import { uniqueTenant } from '../../test-support/stack.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const call = (token: string | undefined, headers: Record<string, string> = {}) =>
  h.app.request('/api/v1/workflows', {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });

async function expect401(res: Response, message: RegExp) {
  expect(res.status).toBe(401);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('unauthenticated');
  expect(body.error.message).toMatch(message);
}

describe('bearer JWT', () => {
  const tenant = uniqueTenant('auth');
  const claims = { tenant_id: tenant, realm_access: { roles: ['viewer'] } };

  it('accepts RS256 and ES256 tokens from the JWKS', async () => {
    expect((await call(await h.jwks.mint(claims))).status).toBe(200);
    expect((await call(await h.jwks.mint(claims, { alg: 'ES256' }))).status).toBe(200);
  });

  it('rejects a missing token', async () => {
    const res = await call(undefined);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    await expect401(res, /Missing Authorization/);
  });

  it('rejects an expired token', async () => {
    await expect401(
      await call(await h.jwks.mint(claims, { expiresIn: Math.floor(Date.now() / 1000) - 60 })),
      /expired/,
    );
  });

  it('rejects a wrong audience', async () => {
    await expect401(await call(await h.jwks.mint({ ...claims, aud: 'someone-else' })), /"aud"/);
  });

  it('rejects a wrong issuer', async () => {
    await expect401(
      await call(await h.jwks.mint({ ...claims, iss: 'https://evil.example/realms/x' })),
      /"iss"/,
    );
  });

  it('rejects alg:none', async () => {
    const token = new UnsecuredJWT(claims)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .encode();
    await expect401(await call(token), /invalid|algorithm/i);
  });

  it('rejects HS256 signed with the public key as the secret', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(h.jwks.rsaPublicJwk));
    const nSecret = base64url.decode(h.jwks.rsaPublicJwk.n!);
    for (const key of [secret, nSecret]) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(key);
      await expect401(await call(token), /algorithm|invalid/i);
    }
  });

  it('rejects a token without tenant_id', async () => {
    await expect401(await call(await h.jwks.mint({ realm_access: { roles: ['admin'] } })), /tenant_id/);
  });

  it('rejects a tampered payload', async () => {
    const token = await h.jwks.mint(claims);
    const [head, , sig] = token.split('.');
    const forged = base64url.encode(
      JSON.stringify({ ...claims, tenant_id: 'victim', iss: ISSUER, aud: AUDIENCE, exp: 9e9 }),
    );
    await expect401(await call(`${head}.${forged}.${sig}`), /signature/);
  });

  it('a token without a known role may do nothing', async () => {
    const res = await call(
      await h.jwks.mint({ tenant_id: tenant, realm_access: { roles: ['offline_access'] } }),
    );
    expect(res.status).toBe(403);
  });
});

describe('identity provider down', () => {
  it('answers 503, not 401, when the JWKS cannot be fetched', async () => {
    const app = createApp({
      ...h.node.deps,
      issuers: [{ issuer: ISSUER, keys: createRemoteJWKSet(new URL('http://127.0.0.1:1/certs')) }],
    });
    const token = await h.jwks.token(uniqueTenant('idp'));
    const res = await app.request('/api/v1/workflows', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ error: { code: 'auth_unavailable' } });
  });

  it('answers 503 + Retry-After, not 401, when the JWKS endpoint fails with 5xx or serves a broken key set', async () => {
    const bodies: Record<string, [number, string]> = {
      '/5xx': [502, '<html>bad gateway</html>'],
      '/not-json': [200, '{"keys": ['],
      '/not-a-key-set': [200, '{"keys": "nope"}'],
    };
    const server = createServer((req, res) => {
      const [status, body] = bodies[req.url ?? ''] ?? [404, ''];
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const token = await h.jwks.token(uniqueTenant('idp'));
      for (const path of Object.keys(bodies)) {
        const app = createApp({
          ...h.node.deps,
          issuers: [{ issuer: ISSUER, keys: createRemoteJWKSet(new URL(`http://127.0.0.1:${port}${path}`)) }],
        });
        const res = await app.request('/api/v1/workflows', { headers: { authorization: `Bearer ${token}` } });
        expect(res.status, path).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('auth_unavailable');
        expect(body.error.message).not.toMatch(/127\.0\.0\.1|JSON Web Key/);
      }
    } finally {
      server.close();
    }
  });
});

describe('X-Dev-Tenant', () => {
  it('is refused outside development', async () => {
    await expect401(
      await call(undefined, { 'X-Dev-Tenant': 'tenant-a' }),
      /only accepted when APP_ENV=development/,
    );
  });

  it('DEV_SIGN_IN_TENANT signs tokenless requests in only in development, on its hosts, from its own pages', async () => {
    const tenant = uniqueTenant('auto');
    const appFor = (env: 'development' | 'test') =>
      createApp({
        ...h.node.deps,
        config: parseConfig({ ...h.config, APP_ENV: env, DEV_SIGN_IN_TENANT: tenant }),
      });
    await expect401(await appFor('test').request('/api/v1/me'), /Missing Authorization/);
    const dev = appFor('development');
    const me = await dev.request('http://localhost:8787/api/v1/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ tenant_id: tenant, dev: true });
    await expect401(await dev.request('http://evil.example/api/v1/me'), /Missing Authorization/);
    await expect401(
      await dev.request('http://localhost:8787/api/v1/me', { headers: { origin: 'https://evil.example' } }),
      /Missing Authorization/,
    );
  });

  it('is accepted in development', async () => {
    const dev = createApp({ ...h.node.deps, config: parseConfig({ ...h.config, APP_ENV: 'development' }) });
    const res = await dev.request('/api/v1/workflows', { headers: { 'X-Dev-Tenant': uniqueTenant('dev') } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ workflows: [] });
  });

  it('is refused in development on a host that is not local (DNS rebinding) and from other sites', async () => {
    const dev = createApp({ ...h.node.deps, config: parseConfig({ ...h.config, APP_ENV: 'development' }) });
    const tenant = uniqueTenant('dev');
    const get = (url: string, headers: Record<string, string> = {}) =>
      dev.request(url, { headers: { 'X-Dev-Tenant': tenant, ...headers } });
    await expect401(await get('http://evil.example/api/v1/workflows'), /not Host "evil.example"/);
    await expect401(await get('http://127.0.0.1.nip.io:8787/api/v1/workflows'), /only served on/);
    await expect401(
      await get('http://127.0.0.1:8787/api/v1/workflows', { origin: 'https://evil.example' }),
      /same origin/,
    );
    await expect401(
      await get('http://localhost:8787/api/v1/workflows', { 'sec-fetch-site': 'cross-site' }),
      /same origin/,
    );
    expect((await get('http://[::1]:8787/api/v1/workflows', { origin: 'http://[::1]:8787' })).status).toBe(
      200,
    );
    expect(
      (await get('http://localhost:8787/api/v1/workflows', { origin: 'http://localhost:5173' })).status,
    ).toBe(200);
    const named = createApp({
      ...h.node.deps,
      config: parseConfig({ ...h.config, APP_ENV: 'development', DEV_HOSTS: 'flowforge.test:9000' }),
    });
    const ok = await named.request('http://flowforge.test:9000/api/v1/workflows', {
      headers: { 'X-Dev-Tenant': tenant },
    });
    expect(ok.status).toBe(200);
  });
});
