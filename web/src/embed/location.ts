import { ApiError } from '../api/client.ts';
import type { EmbedErrorCode } from '../api/embed-protocol.ts';

export interface EmbedLocation {
  widgetId: string;
  theme: 'light' | 'dark';
  /** From the URL fragment (`#token=…`), which browsers never send to a server; null = wait for the SDK's message. */
  token: string | null;
}

/** `/embed/<widgetId>?theme=dark#token=…` → what the page shows and with which token. */
export function readEmbedLocation(location: Pick<Location, 'pathname' | 'search' | 'hash'>): EmbedLocation {
  const widgetId = decodeURIComponent(location.pathname.replace(/^\/embed\//, '').replace(/\/$/, ''));
  const theme = new URLSearchParams(location.search).get('theme') === 'dark' ? 'dark' : 'light';
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  return { widgetId, theme, token: token || null };
}

export interface EmbedProblem {
  code: EmbedErrorCode;
  message: string;
}

/** What a viewer is told when the API refuses the frame: each refusal its own state, never a raw status code. */
export function problemOf(error: unknown): EmbedProblem {
  if (!(error instanceof ApiError)) return { code: 'failed', message: 'The widget could not be loaded.' };
  const reason = (error.details as { reason?: string } | null | undefined)?.reason;
  if (error.status === 401) {
    if (reason === 'token_expired') return { code: 'expired', message: 'This embed’s access has expired.' };
    if (reason === 'key_revoked') return { code: 'revoked', message: 'Access to this widget was revoked.' };
    if (reason === 'key_expired') return { code: 'revoked', message: 'Access to this widget has ended.' };
    return { code: 'failed', message: 'This embed’s access token is not valid.' };
  }
  if (error.code === 'widget_out_of_scope')
    return { code: 'out_of_scope', message: 'This access token does not cover this widget.' };
  if (error.code === 'filter_locked') return { code: 'filter_locked', message: error.message };
  if (error.status === 429)
    return { code: 'rate_limited', message: 'Too many requests for this widget; retrying shortly.' };
  return { code: 'failed', message: error.message };
}
