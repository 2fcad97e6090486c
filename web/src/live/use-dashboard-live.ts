import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { openDashboardSocket, refetchJitterMs, type LiveStatus } from './dashboard-socket.ts';

/** The query key prefix of a widget's data (`['widget-data', widgetId, …filters]`), shared with the dashboard page. */
export const widgetDataKey = (widgetId: string) => ['widget-data', widgetId] as const;

/**
 * Keeps a dashboard's widgets live: each invalidated widget refetches after 50–200 ms of jitter (TanStack Query keeps
 * showing the cached rows meanwhile), and while the socket is down every widget refetches every `refreshSeconds`.
 * Returns the connection status for an indicator.
 */
export function useDashboardLive(dashboardId: string | undefined, refreshSeconds: number): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    if (!dashboardId) return;
    const url = new URL(`/ws/dashboard/${encodeURIComponent(dashboardId)}`, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const socket = openDashboardSocket({
      url: url.toString(),
      refreshSeconds,
      onStatus: setStatus,
      onInvalidate: (ids) => {
        for (const id of ids) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            void queryClient.invalidateQueries({ queryKey: widgetDataKey(id) });
          }, refetchJitterMs());
          timers.add(timer);
        }
      },
      onPoll: () => void queryClient.invalidateQueries({ queryKey: ['widget-data'] }),
    });
    return () => {
      socket.close();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [dashboardId, refreshSeconds, queryClient]);
  return status;
}
