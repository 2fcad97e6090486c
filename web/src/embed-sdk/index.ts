import type { GlobalFilters } from '@flowforge/edge/api-types';
import {
  EMBED_MESSAGE_SOURCE,
  isEmbedMessage,
  tokenExpiry,
  type EmbedErrorCode,
  type FromFrame,
  type ToFrameBody,
} from '../api/embed-protocol.ts';

/** What `fetchToken` may return: the token, or the token route's whole answer (`{ token, expires_at, … }`). */
export type TokenAnswer = string | { token: string };

export interface EmbedOptions {
  widgetId: string;
  /** The element the iframe goes into (or a CSS selector for it); the iframe fills it. */
  mount: HTMLElement | string;
  /**
   * Asks YOUR backend for an embed token. Your backend calls `POST /api/v1/embed/tokens` with its API key, which must
   * never reach a browser. Called once at start and again before each token expires.
   */
  fetchToken: () => Promise<TokenAnswer>;
  /** Narrow what the widget shows (symbols, dates); the token's locked filters can be narrowed, never widened. */
  filters?: GlobalFilters;
  theme?: 'light' | 'dark';
  /** Where FlowForge runs; default: the origin this SDK was loaded from. */
  baseUrl?: string;
}

export interface EmbedError {
  code: EmbedErrorCode | 'token_fetch_failed';
  message: string;
}

export interface EmbedEvents {
  /** The widget drew its first data. */
  ready: () => void;
  /** The frame's token expired before a new one arrived (the SDK is already asking `fetchToken` again). */
  expired: () => void;
  error: (error: EmbedError) => void;
}

export interface EmbeddedWidget {
  iframe: HTMLIFrameElement;
  on<E extends keyof EmbedEvents>(event: E, listener: EmbedEvents[E]): () => void;
  /** Sends new filters to the frame; a filter outside the token's locks ends in an `error` (`filter_locked`). */
  setFilters(filters: GlobalFilters): void;
  /** Removes the iframe and stops renewing. */
  destroy(): void;
}

/** Renew this long before expiry: a quarter of the token's life, between 10 s and 60 s. */
function renewLead(token: string, now: number): number {
  const exp = tokenExpiry(token);
  if (exp === null) return 60_000;
  const life = exp * 1000 - now;
  return Math.min(60_000, Math.max(10_000, life / 4));
}

const RETRY_MS = 5_000;

function tokenOf(answer: TokenAnswer): string {
  const token = typeof answer === 'string' ? answer : answer?.token;
  if (typeof token !== 'string' || token === '') throw new Error('fetchToken returned no token');
  return token;
}

/**
 * Puts one FlowForge widget in `mount`: an iframe on `/embed/<widgetId>` whose token comes from the customer's
 * backend through `fetchToken`, renewed over postMessage before it expires, so the frame never reloads.
 */
function embed(options: EmbedOptions): EmbeddedWidget {
  const base = new URL(options.baseUrl ?? new URL(import.meta.url).origin);
  const mount =
    typeof options.mount === 'string' ? document.querySelector<HTMLElement>(options.mount) : options.mount;
  if (!mount) throw new Error(`FlowForge.embed: no element matches ${String(options.mount)}`);

  const listeners: { [E in keyof EmbedEvents]: Set<EmbedEvents[E]> } = {
    ready: new Set(),
    expired: new Set(),
    error: new Set(),
  };
  const emit = <E extends keyof EmbedEvents>(event: E, ...args: Parameters<EmbedEvents[E]>) => {
    for (const listener of listeners[event])
      (listener as (...a: Parameters<EmbedEvents[E]>) => void)(...args);
  };

  const iframe = document.createElement('iframe');
  iframe.title = 'FlowForge widget';
  iframe.style.cssText = 'width:100%;height:100%;border:0;display:block';
  let filters = options.filters ?? {};
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;

  const send = (message: ToFrameBody) =>
    iframe.contentWindow?.postMessage({ source: EMBED_MESSAGE_SOURCE, ...message }, base.origin);

  const schedule = (token: string) => {
    clearTimeout(renewTimer);
    const exp = tokenExpiry(token);
    if (exp === null) return;
    const now = Date.now();
    renewTimer = setTimeout(() => void renew(), Math.max(0, exp * 1000 - now - renewLead(token, now)));
  };

  async function fetchFresh(): Promise<string | null> {
    try {
      return tokenOf(await options.fetchToken());
    } catch (error) {
      emit('error', { code: 'token_fetch_failed', message: (error as Error).message });
      if (!destroyed) renewTimer = setTimeout(() => void renew(), RETRY_MS);
      return null;
    }
  }

  async function renew() {
    const token = await fetchFresh();
    if (!token || destroyed) return;
    send({ type: 'token', token });
    schedule(token);
  }

  const onMessage = (event: MessageEvent) => {
    if (event.source !== iframe.contentWindow || event.origin !== base.origin || !isEmbedMessage(event.data))
      return;
    const message = event.data as FromFrame;
    if (message.type === 'hello') {
      if (Object.keys(filters).length) send({ type: 'filters', filters });
    } else if (message.type === 'ready') emit('ready');
    else if (message.type === 'expired') {
      emit('expired');
      void renew();
    } else if (message.type === 'error') emit('error', { code: message.code, message: message.message });
  };
  window.addEventListener('message', onMessage);

  void fetchFresh().then((token) => {
    if (!token || destroyed) return;
    const src = new URL(`/embed/${encodeURIComponent(options.widgetId)}`, base);
    src.searchParams.set('theme', options.theme ?? 'light');
    // The fragment never leaves the browser: no server, proxy or Referer sees the token.
    src.hash = new URLSearchParams({ token }).toString();
    iframe.src = src.href;
    mount.append(iframe);
    schedule(token);
  });

  return {
    iframe,
    on(event, listener) {
      listeners[event].add(listener);
      return () => void listeners[event].delete(listener);
    },
    setFilters(next) {
      filters = next;
      send({ type: 'filters', filters });
    },
    destroy() {
      destroyed = true;
      clearTimeout(renewTimer);
      window.removeEventListener('message', onMessage);
      iframe.remove();
    },
  };
}

export const FlowForge = { embed };
export default FlowForge;
