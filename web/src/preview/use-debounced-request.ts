import { useEffect, useState } from 'react';

export const PREVIEW_DEBOUNCE_MS = 300;

export type RequestState<T> =
  | { status: 'idle' }
  | { status: 'loading'; previous?: T }
  | { status: 'success'; data: T }
  | { status: 'error'; error: Error };

/**
 * Runs `run(request, signal)` 300 ms after `request` stops changing, aborting the in-flight call whenever a newer
 * request arrives or the component goes away: clicking through nodes fires one query, not one per click.
 */
export function useDebouncedRequest<Req, Res>(
  request: Req | null,
  run: (request: Req, signal: AbortSignal) => Promise<Res>,
  delayMs = PREVIEW_DEBOUNCE_MS,
  /** Bumping it re-runs the same request (the user's Refresh). */
  nonce = 0,
): RequestState<Res> {
  const key = request === null ? null : JSON.stringify(request);
  const [state, setState] = useState<RequestState<Res>>({ status: 'idle' });
  useEffect(() => {
    if (request === null) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ status: 'loading', ...(s.status === 'success' ? { previous: s.data } : {}) }));
    const timer = setTimeout(() => {
      run(request, controller.signal).then(
        (data) => {
          if (!controller.signal.aborted) setState({ status: 'success', data });
        },
        (error: unknown) => {
          if (!controller.signal.aborted)
            setState({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
        },
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // `key` stands for `request`: a new object with the same content must not refetch.
  }, [key, delayMs, nonce]);
  return state;
}
