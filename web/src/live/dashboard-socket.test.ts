import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, openDashboardSocket, refetchJitterMs, type LiveStatus } from './dashboard-socket.ts';

/** Just the surface the controller uses: handlers set by it, events fired by the test. */
class FakeSocket {
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
}

describe('openDashboardSocket', () => {
  let sockets: FakeSocket[];
  let statuses: LiveStatus[];
  let invalidated: string[][];
  let polls: number;
  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    statuses = [];
    invalidated = [];
    polls = 0;
  });
  afterEach(() => vi.useRealTimers());

  const open = (refreshSeconds: number) =>
    openDashboardSocket({
      url: 'ws://x/ws/dashboard/d1',
      refreshSeconds,
      onInvalidate: (ids) => invalidated.push(ids),
      onPoll: () => polls++,
      onStatus: (s) => statuses.push(s),
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s as unknown as WebSocket;
      },
      random: () => 1,
    });

  it('reports invalidations, ignores other messages, and says live once open', () => {
    const live = open(5);
    sockets[0]!.onopen!();
    sockets[0]!.onmessage!({ data: '{"type":"ready"}' });
    sockets[0]!.onmessage!({ data: 'not json' });
    sockets[0]!.onmessage!({ data: '{"type":"invalidate","widget_ids":["w1","w2",3]}' });
    expect(invalidated).toEqual([['w1', 'w2']]);
    expect(statuses).toEqual(['connecting', 'live']);
    live.close();
    expect(sockets[0]!.closed).toBe(true);
  });

  it('polls at refresh_seconds while down and reconnects with growing backoff, then stops polling', () => {
    const live = open(5);
    sockets[0]!.onopen!();
    sockets[0]!.onclose!();
    expect(statuses.at(-1)).toBe('polling');
    vi.advanceTimersByTime(1_000); // first retry after ≤ 1 s
    expect(sockets).toHaveLength(2);
    sockets[1]!.onclose!();
    vi.advanceTimersByTime(1_999);
    expect(sockets).toHaveLength(2); // second retry waits up to 2 s
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    vi.advanceTimersByTime(2_000); // 5 s since the drop: one poll so far
    expect(polls).toBe(1);
    sockets[2]!.onopen!();
    expect(statuses.at(-1)).toBe('live');
    vi.advanceTimersByTime(20_000);
    expect(polls).toBe(1);
    live.close();
  });

  it('without refresh_seconds it is offline while down and never polls', () => {
    const live = open(0);
    sockets[0]!.onclose!();
    expect(statuses.at(-1)).toBe('offline');
    vi.advanceTimersByTime(60_000);
    expect(polls).toBe(0);
    live.close();
  });
});

describe('backoff and jitter', () => {
  it('doubles up to 30 s with equal jitter, and refetch jitter stays within 50–200 ms', () => {
    expect([0, 1, 2, 10].map((a) => backoffMs(a, () => 1))).toEqual([1_000, 2_000, 4_000, 30_000]);
    expect(backoffMs(3, () => 0)).toBe(4_000);
    expect(refetchJitterMs(() => 0)).toBe(50);
    expect(refetchJitterMs(() => 1)).toBe(200);
  });
});
