declare global {
  interface Window {
    /** Requests `index.html` started before the app's code ran, by path; each is answered once. */
    __flowforgeEarly?: Record<string, Promise<Response | null> | undefined>;
  }
}

/**
 * The response of a GET that `index.html` already started for `path`, or null: the first API calls of a page (who am
 * I, the sign-in config, a dashboard and its widget list) overlap the app's code download instead of following it.
 * Each is handed out once (a refetch asks the server again) and only for a plain GET without a token.
 */
export function takeEarly(path: string): Promise<Response | null> | null {
  const early = typeof window === 'undefined' ? undefined : window.__flowforgeEarly;
  const response = early?.[path];
  if (!response) return null;
  delete early[path];
  return response;
}
