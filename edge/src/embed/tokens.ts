import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { GlobalFilters } from '../ports/metadata-store.ts';

const ISSUER = 'flowforge';
const AUDIENCE = 'flowforge-embed';
/** Embed tokens live in browsers: short lives bound the damage of a leaked one (revoking the key ends them sooner). */
export const MAX_EMBED_TTL_SECONDS = 15 * 60;

export interface EmbedClaims {
  tenantId: string;
  /** The token's `jti`; set on verified tokens only (signing makes a new one). */
  tokenId?: string;
  keyId: string;
  widgetIds: string[];
  locked: GlobalFilters;
}

const secretKey = (secret: string) => new TextEncoder().encode(secret);

export async function signEmbedToken(
  secret: string,
  claims: EmbedClaims,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const ttl = Math.min(Math.max(1, Math.trunc(ttlSeconds)), MAX_EMBED_TTL_SECONDS);
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ tid: claims.tenantId, wid: claims.widgetIds, flt: claims.locked })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.keyId)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .setJti(crypto.randomUUID())
    .sign(secretKey(secret));
  return { token, expiresAt: new Date((now + ttl) * 1000) };
}

/** Verified claims, or a reason the token is not acceptable. */
export async function verifyEmbedToken(
  secret: string,
  token: string,
): Promise<{ ok: true; claims: EmbedClaims } | { ok: false; reason: string; expired: boolean }> {
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub', 'iat'],
      maxTokenAge: MAX_EMBED_TTL_SECONDS + 5,
    });
    const { tid, wid, flt, sub, jti } = payload as {
      tid?: unknown;
      wid?: unknown;
      flt?: unknown;
      sub?: string;
      jti?: unknown;
    };
    if (typeof tid !== 'string' || !Array.isArray(wid) || typeof sub !== 'string')
      return { ok: false, reason: 'Embed token is malformed', expired: false };
    return {
      ok: true,
      claims: {
        tenantId: tid,
        keyId: sub,
        widgetIds: wid.map(String),
        locked: (flt ?? {}) as GlobalFilters,
        ...(typeof jti === 'string' ? { tokenId: jti } : {}),
      },
    };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired)
      return { ok: false, reason: 'Embed token expired', expired: true };
    if (err instanceof joseErrors.JWSSignatureVerificationFailed)
      return { ok: false, reason: 'Embed token signature invalid', expired: false };
    return { ok: false, reason: 'Embed token invalid', expired: false };
  }
}
