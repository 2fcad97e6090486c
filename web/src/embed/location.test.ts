import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { tokenExpiry } from '../api/embed-protocol.ts';
import { problemOf, readEmbedLocation } from './location.ts';

describe('readEmbedLocation', () => {
  it('reads the widget from the path, the theme from the query and the token from the fragment', () => {
    expect(
      readEmbedLocation({ pathname: '/embed/abc-123', search: '?theme=dark', hash: '#token=a.b.c' }),
    ).toEqual({ widgetId: 'abc-123', theme: 'dark', token: 'a.b.c' });
  });

  it('defaults to light and waits for a token when the fragment has none', () => {
    expect(readEmbedLocation({ pathname: '/embed/w/', search: '?theme=neon', hash: '' })).toEqual({
      widgetId: 'w',
      theme: 'light',
      token: null,
    });
  });
});

describe('problemOf', () => {
  const refused = (status: number, code: string, reason?: string) =>
    new ApiError(status, code, `${code} message`, reason ? { reason } : null);

  it.each([
    [refused(401, 'unauthenticated', 'token_expired'), 'expired'],
    [refused(401, 'unauthenticated', 'key_revoked'), 'revoked'],
    [refused(401, 'unauthenticated', 'key_expired'), 'revoked'],
    [refused(401, 'unauthenticated', 'invalid'), 'failed'],
    [refused(403, 'widget_out_of_scope'), 'out_of_scope'],
    [refused(403, 'filter_locked'), 'filter_locked'],
    [refused(429, 'rate_limited'), 'rate_limited'],
    [refused(503, 'engine_unavailable'), 'failed'],
    [new TypeError('network'), 'failed'],
  ])('%s → %s', (error, code) => {
    expect(problemOf(error).code).toBe(code);
  });

  it("keeps the API's message for a locked filter", () => {
    expect(problemOf(refused(403, 'filter_locked')).message).toBe('filter_locked message');
  });
});

describe('tokenExpiry', () => {
  it('reads exp from the payload without verifying, and null from garbage', () => {
    const payload = btoa(JSON.stringify({ exp: 1_900_000_000 }))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '');
    expect(tokenExpiry(`x.${payload}.y`)).toBe(1_900_000_000);
    expect(tokenExpiry('nonsense')).toBeNull();
  });
});
