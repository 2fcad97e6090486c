/** Requests per principal per window; one adapter per backend (Upstash for the stack and Workers, memory embedded). */
export interface RateLimiter {
  /** Counts one request for `key`; `success: false` once `perWindow` requests were counted in the window. */
  limit(
    key: string,
    perWindow: number,
  ): Promise<{ success: boolean; limit: number; remaining: number; reset: number }>;
}

export const RATE_WINDOW_SECONDS = 60;
