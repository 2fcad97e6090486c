/** Connection state a dashboard shows: live over the socket, polling while it is down, or neither. */
export type LiveStatus = 'connecting' | 'live' | 'polling' | 'offline';

export interface DashboardSocketOptions {
  /** `ws(s)://…/ws/dashboard/:id` */
  url: string;
  /** The dashboard's `refresh_seconds`: the polling period while the socket is down (0 = no polling). */
  refreshSeconds: number;
  onInvalidate(widgetIds: string[]): void;
  onPoll(): void;
  onStatus(status: LiveStatus): void;
  createSocket?: (url: string) => WebSocket;
  random?: () => number;
}

const BASE_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/** Reconnect delay after `attempt` failures: exponential, capped, with "equal jitter" so clients do not stampede. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Refetch delay for one invalidated widget: 50–200 ms, so a dashboard's widgets do not hit the API all at once. */
export const refetchJitterMs = (random: () => number = Math.random): number => 50 + random() * 150;

/**
 * A dashboard's invalidation socket (plan §15): reports `invalidate` messages, reconnects with backoff when it drops,
 * and polls at `refresh_seconds` until it is back. Framework-free; `useDashboardLive` binds it to TanStack Query.
 */
export function openDashboardSocket(o: DashboardSocketOptions): { close(): void } {
  const random = o.random ?? Math.random;
  const create = o.createSocket ?? ((url: string) => new WebSocket(url));
  let socket: WebSocket | undefined;
  let attempt = 0;
  let reconnect: ReturnType<typeof setTimeout> | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const startPolling = () => {
    if (poll !== undefined || o.refreshSeconds <= 0) return;
    poll = setInterval(() => o.onPoll(), o.refreshSeconds * 1000);
  };
  const stopPolling = () => {
    clearInterval(poll);
    poll = undefined;
  };

  const connect = () => {
    o.onStatus(attempt === 0 ? 'connecting' : o.refreshSeconds > 0 ? 'polling' : 'offline');
    socket = create(o.url);
    socket.onopen = () => {
      attempt = 0;
      stopPolling();
      o.onStatus('live');
    };
    socket.onmessage = (event: MessageEvent) => {
      let message: unknown;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      const { type, widget_ids: ids } = (message ?? {}) as { type?: unknown; widget_ids?: unknown };
      if (type === 'invalidate' && Array.isArray(ids))
        o.onInvalidate(ids.filter((id): id is string => typeof id === 'string'));
    };
    socket.onclose = () => {
      if (closed) return;
      o.onStatus(o.refreshSeconds > 0 ? 'polling' : 'offline');
      startPolling();
      reconnect = setTimeout(connect, backoffMs(attempt++, random));
    };
  };
  connect();

  return {
    close() {
      closed = true;
      clearTimeout(reconnect);
      stopPolling();
      socket?.close();
    },
  };
}
