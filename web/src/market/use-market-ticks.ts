import { useEffect, useState } from 'react';
import { applyTick, type Quote } from './ticks.ts';

const RECONNECT_MS = 3_000;

/** Live quotes from `/ws/market`, reconnecting after drops; `connected` lets the UI say when prices are stale. */
export function useMarketTicks(): { quotes: ReadonlyMap<string, Quote>; connected: boolean } {
  const [quotes, setQuotes] = useState<ReadonlyMap<string, Quote>>(new Map());
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = () => {
      const url = new URL('/ws/market', window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      socket = new WebSocket(url);
      socket.onopen = () => setConnected(true);
      socket.onmessage = (event) => setQuotes((board) => applyTick(board, String(event.data)));
      socket.onclose = () => {
        setConnected(false);
        if (!stopped) retry = setTimeout(connect, RECONNECT_MS);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, []);
  return { quotes, connected };
}
