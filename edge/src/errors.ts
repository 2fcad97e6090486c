import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** What a client should wait before retrying a 503 (an outage of PostgreSQL, the engine or the identity provider). */
export const RETRY_AFTER_SECONDS = 5;

export interface ApiErrorOptions {
  /** What actually went wrong, for the log only: clients get the product message and the request id. */
  internal?: unknown;
  /** Seconds for a `Retry-After` header (503, 429). */
  retryAfter?: number;
}

/** The one error shape every route answers with: `{error:{code,message,details}}`. */
export class ApiError extends Error {
  readonly internal: unknown;
  readonly retryAfter: number | undefined;

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options: ApiErrorOptions = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.internal = options.internal;
    this.retryAfter = options.retryAfter;
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what} not found`);

/** A dependency is down: 503 with Retry-After, the cause logged, never shown. */
export const unavailable = (code: string, message: string, internal: unknown): ApiError =>
  new ApiError(503, code, `${message}; retry in a few seconds`, undefined, {
    internal,
    retryAfter: RETRY_AFTER_SECONDS,
  });

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, details: details ?? null } };
}
