import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from './client.ts';
import { setBearerSource } from './bearer.ts';

const session = { tenant_id: 'dev', roles: ['admin'], dev: true };

afterEach(() => {
  delete window.__flowforgeEarly;
  setBearerSource(null);
  vi.unstubAllGlobals();
});

describe('requests index.html started early', () => {
  it('answer the first matching GET once; the next one asks the server', async () => {
    const fetch = vi.fn(async () => Response.json({ ...session, tenant_id: 'from-fetch' }));
    vi.stubGlobal('fetch', fetch);
    window.__flowforgeEarly = { '/api/v1/me': Promise.resolve(Response.json(session)) };
    expect(await api.me()).toEqual(session);
    expect(fetch).not.toHaveBeenCalled();
    expect(await api.me()).toEqual({ ...session, tenant_id: 'from-fetch' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("carry the API's error as any answer does", async () => {
    vi.stubGlobal('fetch', vi.fn());
    window.__flowforgeEarly = {
      '/api/v1/me': Promise.resolve(
        Response.json({ error: { code: 'unauthorized', message: 'Sign in first' } }, { status: 401 }),
      ),
    };
    await expect(api.me()).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
      message: 'Sign in first',
    });
  });

  it('are not used once a signed-in token is in play, nor when the early request failed', async () => {
    const fetch = vi.fn(async () => Response.json(session));
    vi.stubGlobal('fetch', fetch);
    window.__flowforgeEarly = { '/api/v1/me': Promise.resolve(Response.json({ tenant_id: 'stale' })) };
    setBearerSource({ token: async () => 't', renew: async () => null });
    expect(await api.me()).toEqual(session);
    setBearerSource(null);
    window.__flowforgeEarly = { '/api/v1/auth/config': Promise.resolve(null) };
    await api.authConfig();
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
