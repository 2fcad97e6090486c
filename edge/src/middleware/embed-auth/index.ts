import type { Context, MiddlewareHandler } from 'hono';
import { hashApiKey, KEY_PREFIX } from '../../embed/keys.ts';
import { verifyEmbedToken, type EmbedClaims } from '../../embed/tokens.ts';
import type { AppEnv, EmbedCaller } from '../../env.ts';
import { ApiError } from '../../errors.ts';
import type { ApiKey, MetadataStore } from '../../ports/metadata-store.ts';

export interface EmbedAuthOptions {
  secret: string;
  /** `api-key` for the server-to-server token exchange; `any` also accepts an embed token (iframe use). */
  accept: 'api-key' | 'any';
  /**
   * Counts the request against the caller's allowances (throws 429 when one is spent). A token's signed claims name its
   * key, so a token is counted while its key is read; an API key once the key is found.
   */
  limit(c: Context<AppEnv>, caller: Pick<EmbedCaller, 'keyId' | 'tokenId'>): Promise<void>;
}

/**
 * Why an embed credential was refused, in `details.reason`: the embed page tells a viewer "expired" (renewal may fix it)
 * from "revoked" (nothing will) without parsing messages.
 */
export type EmbedRefusal = 'invalid' | 'token_expired' | 'key_revoked' | 'key_expired' | 'missing';

const unauthenticated = (message: string, reason: EmbedRefusal) =>
  new ApiError(401, 'unauthenticated', message, { reason });

function usable(key: ApiKey | null): ApiKey {
  if (!key) throw unauthenticated('Invalid API key', 'invalid');
  if (key.revokedAt) throw unauthenticated('API key revoked', 'key_revoked');
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now())
    throw unauthenticated('API key expired', 'key_expired');
  return key;
}

/**
 * `X-API-Key` (a customer's backend) or an embed token in `Authorization: Bearer` (the iframe). A token is
 * checked against its key on every request, so revoking or expiring the key ends every token minted from it.
 */
export function embedAuth(options: EmbedAuthOptions): MiddlewareHandler<AppEnv> {
  const { secret, accept, limit } = options;
  return async function authenticateEmbed(c, next) {
    const apiKey = c.req.header('X-API-Key');
    if (apiKey !== undefined) {
      if (!apiKey.startsWith(KEY_PREFIX)) throw unauthenticated('Invalid API key', 'invalid');
      const key = usable(await c.get('metadata').findApiKeyByHash(await hashApiKey(apiKey)));
      // Every direct use of a key is audited (token exchanges, widget reads); tokens minted from it are not.
      await Promise.all([
        c.get('metadata').touchApiKey(key.id),
        c.get('metadata').appendAudit(key.tenantId, {
          actor: `api_key:${key.prefix}`,
          action: 'api_key.used',
          targetType: 'api_key',
          targetId: key.id,
          details: { method: c.req.method, path: c.req.path },
        }),
      ]);
      c.set('embed', {
        tenantId: key.tenantId,
        keyId: key.id,
        via: 'api-key',
        widgetIds: key.scopedWidgetIds,
        locked: {},
        allowedOrigins: key.allowedOrigins,
      });
      await limit(c, { keyId: key.id });
      return next();
    }
    if (accept === 'api-key') throw unauthenticated('X-API-Key required', 'missing');
    // Never from the query string: URLs end up in logs, proxies and Referer headers (the embed page keeps its token in
    // the fragment and sends it as a header).
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    if (!token)
      throw unauthenticated('X-API-Key or an embed token (Authorization: Bearer) required', 'missing');
    const claims = await embedTokenClaims(secret, token);
    const [session, limited] = await Promise.allSettled([
      embedSession(c.get('metadata'), claims),
      limit(c, { keyId: claims.keyId, ...(claims.tokenId ? { tokenId: claims.tokenId } : {}) }),
    ]);
    // A revoked or expired key answers 401 whatever the allowance says.
    if (session.status === 'rejected') throw session.reason;
    if (limited.status === 'rejected') throw limited.reason;
    c.set('embed', session.value);
    return next();
  };
}

/** A token's signed claims; 401 when the signature, the expiry or the shape is wrong. */
async function embedTokenClaims(secret: string, token: string) {
  const verified = await verifyEmbedToken(secret, token);
  if (!verified.ok) throw unauthenticated(verified.reason, verified.expired ? 'token_expired' : 'invalid');
  return verified.claims;
}

/**
 * An embed token → its caller, checked against the key it was minted from (revoked or expired keys end it). Shared by
 * the embed routes and the data plane's WebSocket fan-out.
 */
export async function verifyEmbedSession(
  metadata: Pick<MetadataStore, 'findApiKeyById'>,
  secret: string,
  token: string,
): Promise<EmbedCaller> {
  return embedSession(metadata, await embedTokenClaims(secret, token));
}

/** The caller a token's claims stand for, read against its key on every request: revocation never waits for a cache. */
async function embedSession(
  metadata: Pick<MetadataStore, 'findApiKeyById'>,
  claims: EmbedClaims,
): Promise<EmbedCaller> {
  const key = usable(await metadata.findApiKeyById(claims.keyId));
  if (key.tenantId !== claims.tenantId) throw unauthenticated('Embed token invalid', 'invalid');
  return {
    tenantId: key.tenantId,
    keyId: key.id,
    via: 'token',
    ...(claims.tokenId ? { tokenId: claims.tokenId } : {}),
    widgetIds: claims.widgetIds.filter((id) => key.scopedWidgetIds.includes(id)),
    locked: claims.locked,
    allowedOrigins: key.allowedOrigins,
  };
}
