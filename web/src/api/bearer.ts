/**
 * Where the API client gets its access token. Signed-in (OIDC) sessions register one; the embedded mode registers none,
 * because its server signs same-origin calls in as the development tenant.
 */
export interface BearerSource {
  /** The current access token, or null when there is none. */
  token(): Promise<string | null>;
  /** Called after a 401: a fresh token (silent renewal), or null when the user must sign in again. */
  renew(): Promise<string | null>;
}

let source: BearerSource | null = null;

export function setBearerSource(next: BearerSource | null): void {
  source = next;
}

/** Whether calls carry a signed-in user's token (then nothing started before sign-in may answer them). */
export const hasBearer = (): boolean => source !== null;

async function send(path: string, init: RequestInit, token: string | null): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(path, { ...init, headers, credentials: 'same-origin' });
}

/** `fetch` with the session's bearer token; a 401 renews the token once and retries. */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await send(path, init, source ? await source.token() : null);
  if (response.status !== 401 || !source) return response;
  const renewed = await source.renew();
  return renewed ? send(path, init, renewed) : response;
}
