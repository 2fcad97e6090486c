import type { Timings } from './middleware/server-timing/index.ts';
import type { GlobalFilters, MetadataStore } from './ports/metadata-store.ts';

export type Role = 'viewer' | 'analyst' | 'admin';

/** Who is calling, after authentication. `tenantId` comes from the token, never from a request body. */
export interface Principal {
  sub: string;
  tenantId: string;
  email: string;
  roles: Role[];
}

/** Who is calling an embed endpoint: an API key directly, or an embed token minted from one. */
export interface EmbedCaller {
  tenantId: string;
  keyId: string;
  via: 'api-key' | 'token';
  /** The embed token's own id (`jti`) when `via` is `token`: its rate limit is counted on it. */
  tokenId?: string;
  /** Widgets this caller may read: the key's scope, narrowed by the token's. */
  widgetIds: string[];
  /** Filters fixed by the token; request parameters may narrow them, never widen. */
  locked: GlobalFilters;
  allowedOrigins: string[];
}

/** Hono's type parameter for every handler of this app. */
export type AppEnv = {
  Variables: {
    /** Set on every request (`X-Request-Id`); errors name it so a report can be matched to the log. */
    requestId: string;
    /** Phases of this request, sent back as `Server-Timing`. */
    timings: Timings;
    principal: Principal;
    metadata: MetadataStore;
    embed: EmbedCaller;
    /** Set by `defineRoute` for `limitBeside` routes: the handler starts the rate-limit count beside its first reads. */
    limitBeside: boolean;
    /** On a `limitBeside` route: counts the request (once) and rejects with 429 when refused (see `rateLimit`). */
    admission: () => Promise<void>;
    /** On a `limitBeside` route, before `admission()` answers: whether it is likely to admit (see `rateLimit`). */
    admissionLikely: () => boolean;
  };
};
