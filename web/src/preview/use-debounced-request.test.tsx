import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PREVIEW_DEBOUNCE_MS, useDebouncedRequest } from './use-debounced-request.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function deferredRunner() {
  const calls: { request: string; signal: AbortSignal; resolve: (v: string) => void }[] = [];
  const run = vi.fn(
    (request: string, signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        calls.push({ request, signal, resolve });
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      }),
  );
  return { run, calls };
}

describe('useDebouncedRequest', () => {
  it('waits 300 ms after the last change and sends only the last request', async () => {
    const { run, calls } = deferredRunner();
    const { result, rerender } = renderHook(({ r }) => useDebouncedRequest(r, run), {
      initialProps: { r: 'node-1' as string | null },
    });
    expect(result.current.status).toBe('loading');
    act(() => vi.advanceTimersByTime(100));
    rerender({ r: 'node-2' });
    act(() => vi.advanceTimersByTime(200));
    rerender({ r: 'node-3' });
    act(() => vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS - 1));
    expect(run).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1));
    expect(run).toHaveBeenCalledTimes(1);
    expect(calls[0]!.request).toBe('node-3');
    await act(async () => calls[0]!.resolve('rows of node-3'));
    expect(result.current).toEqual({ status: 'success', data: 'rows of node-3' });
  });

  it('aborts the in-flight request when another node is clicked, and ignores its late answer', async () => {
    const { run, calls } = deferredRunner();
    const { result, rerender } = renderHook(({ r }) => useDebouncedRequest(r, run), {
      initialProps: { r: 'a' },
    });
    act(() => vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS));
    expect(calls).toHaveLength(1);
    rerender({ r: 'b' });
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(result.current.status).toBe('loading');
    act(() => vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS));
    expect(calls).toHaveLength(2);
    await act(async () => calls[0]!.resolve('stale a'));
    await act(async () => calls[1]!.resolve('fresh b'));
    expect(result.current).toEqual({ status: 'success', data: 'fresh b' });
  });

  it('does not refetch for an equal request object and reports errors', async () => {
    const run = vi.fn(async () => {
      throw new Error('Unknown column "sym"');
    });
    const { result, rerender } = renderHook(({ r }) => useDebouncedRequest(r, run), {
      initialProps: { r: { node: 'x' } },
    });
    rerender({ r: { node: 'x' } });
    await act(async () => vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS));
    expect(run).toHaveBeenCalledTimes(1);
    expect(result.current).toMatchObject({ status: 'error', error: { message: 'Unknown column "sym"' } });
  });

  it('goes idle without a request', () => {
    const run = vi.fn();
    const { result } = renderHook(() => useDebouncedRequest(null, run));
    expect(result.current).toEqual({ status: 'idle' });
    act(() => vi.advanceTimersByTime(1000));
    expect(run).not.toHaveBeenCalled();
  });
});
