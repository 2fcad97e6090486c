import { afterEach, describe, expect, it, vi } from 'vitest';
import { authorizedFetch, setBearerSource } from './bearer.ts';

const seen: (string | null)[] = [];
function serveWith(valid: string) {
  vi.stubGlobal('fetch', async (_path: string, init: RequestInit) => {
    const auth = new Headers(init.headers).get('authorization');
    seen.push(auth);
    return new Response(null, { status: auth === `Bearer ${valid}` ? 200 : 401 });
  });
}

afterEach(() => {
  setBearerSource(null);
  vi.unstubAllGlobals();
  seen.length = 0;
});

describe('authorizedFetch', () => {
  it('sends no Authorization without a source (the embedded mode signs in by itself)', async () => {
    serveWith('t');
    expect((await authorizedFetch('/api/v1/me')).status).toBe(401);
    expect(seen).toEqual([null]);
  });

  it('renews once after a 401 and retries with the new token', async () => {
    serveWith('fresh');
    const renew = vi.fn(async () => 'fresh');
    setBearerSource({ token: async () => 'stale', renew });
    expect((await authorizedFetch('/api/v1/me')).status).toBe(200);
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(renew).toHaveBeenCalledTimes(1);
  });

  it('returns the 401 when renewal gives up (the source has sent the user to sign in)', async () => {
    serveWith('fresh');
    setBearerSource({ token: async () => 'stale', renew: async () => null });
    expect((await authorizedFetch('/api/v1/me')).status).toBe(401);
    expect(seen).toEqual(['Bearer stale']);
  });
});
