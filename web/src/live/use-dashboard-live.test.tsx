import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useDashboardLive } from './use-dashboard-live.ts';

class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  close() {}
}

describe('useDashboardLive', () => {
  let client: QueryClient;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    FakeSocket.all = [];
    client = new QueryClient();
    for (const id of ['w1', 'w2']) client.setQueryData(['widget-data', id, '{}'], { rows: [] });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  const invalidated = (id: string) => client.getQueryState(['widget-data', id, '{}'])?.isInvalidated;

  it('opens the dashboard socket and refetches only the invalidated widget, after its jitter', async () => {
    const { result } = renderHook(() => useDashboardLive('d1', 30), { wrapper });
    const socket = FakeSocket.all[0]!;
    expect(new URL(socket.url).pathname).toBe('/ws/dashboard/d1');
    expect(new URL(socket.url).protocol).toBe('ws:');
    act(() => socket.onopen!());
    expect(result.current).toBe('live');

    act(() => socket.onmessage!({ data: JSON.stringify({ type: 'invalidate', widget_ids: ['w1'] }) }));
    expect(invalidated('w1')).toBe(false); // not before 50 ms
    await act(async () => {
      await vi.advanceTimersByTimeAsync(200);
    });
    expect(invalidated('w1')).toBe(true);
    expect(invalidated('w2')).toBe(false);
  });

  it('says polling and refetches every widget at refresh_seconds while the socket is down', async () => {
    const { result } = renderHook(() => useDashboardLive('d1', 5), { wrapper });
    act(() => FakeSocket.all[0]!.onclose!());
    expect(result.current).toBe('polling');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_000);
    });
    expect(invalidated('w1')).toBe(true);
    expect(invalidated('w2')).toBe(true);
  });
});
