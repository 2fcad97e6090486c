import type { GlobalFilters } from '@flowforge/edge/api-types';

/**
 * The postMessage protocol between the embed SDK (on the customer's page) and the embed page (in its iframe). Every
 * message carries `source` so both sides ignore the other messages a page receives.
 */
export const EMBED_MESSAGE_SOURCE = 'flowforge-embed';

type Tagged<T> = T & { source: typeof EMBED_MESSAGE_SOURCE };

/** SDK → frame (as sent, `ToFrame` with `source`). */
export type ToFrameBody = { type: 'token'; token: string } | { type: 'filters'; filters: GlobalFilters };
export type ToFrame = Tagged<ToFrameBody>;

/** Why the frame cannot show the widget; `expired` alone can be fixed by a new token. */
export type EmbedErrorCode =
  'expired' | 'revoked' | 'not_allowed_here' | 'out_of_scope' | 'filter_locked' | 'rate_limited' | 'failed';

/** Frame → SDK (as sent, `FromFrame` with `source`). */
export type FromFrameBody =
  /** Loaded and listening (it may still wait for a token). */
  | { type: 'hello' }
  /** The widget drew its first data. */
  | { type: 'ready' }
  | { type: 'expired' }
  | { type: 'error'; code: EmbedErrorCode; message: string };
export type FromFrame = Tagged<FromFrameBody>;

export function isEmbedMessage(data: unknown): data is { source: string; type: string } {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { source?: unknown }).source === EMBED_MESSAGE_SOURCE &&
    typeof (data as { type?: unknown }).type === 'string'
  );
}

/** Seconds since the epoch at which a JWT expires, read without verifying (the API verifies); null if unreadable. */
export function tokenExpiry(token: string): number | null {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}
