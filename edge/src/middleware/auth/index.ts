import type { MiddlewareHandler } from 'hono';
import { decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import type { AppEnv, Principal, Role } from '../../env.ts';
import { ApiError, unavailable } from '../../errors.ts';
import { devAccessRefusal, type DevAccess } from '../dev-access/index.ts';
import type { TrustedIssuer } from './issuers.ts';

export type { TrustedIssuer } from './issuers.ts';

export interface AuthOptions {
  /** One entry per Keycloak realm (customer); a token is verified with its own issuer's keys only. */
  issuers: readonly TrustedIssuer[];
  audience: string;
  /** Only when APP_ENV=development: lets `X-Dev-Tenant` stand in for a token, on these hosts and from these pages. */
  devAccess?: DevAccess;
  /**
   * With `devAccess`: the tenant a request without a token or X-Dev-Tenant signs in as when `devAccess` allows it (the
   * embedded mode). Here rather than a header added by the server: rebuilding every request to add one cost the
   * Node adapter a full Request per call.
   */
  devSignIn?: string;
}

const ROLES: readonly Role[] = ['viewer', 'analyst', 'admin'];
// Asymmetric algorithms only: accepting HS256 would let anyone holding the public key forge tokens.
const ALGORITHMS = ['RS256', 'ES256'];
const TENANT = /^[A-Za-z0-9_.:-]{1,64}$/;

const unauthenticated = (message: string) => new ApiError(401, 'unauthenticated', message);

function principalFrom(payload: Record<string, unknown>): Principal {
  const tenantId = payload.tenant_id;
  if (typeof tenantId !== 'string' || !TENANT.test(tenantId)) {
    throw unauthenticated('Token has no valid tenant_id claim');
  }
  const realmRoles = (payload.realm_access as { roles?: unknown } | undefined)?.roles;
  const roles = Array.isArray(realmRoles) ? ROLES.filter((r) => realmRoles.includes(r)) : [];
  return {
    sub: typeof payload.sub === 'string' ? payload.sub : 'unknown',
    tenantId,
    email: typeof payload.email === 'string' ? payload.email : '',
    roles,
  };
}

function describe(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'Token expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `Token claim "${err.claim}" is invalid`;
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'Token algorithm not allowed';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'Token signature invalid';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'Token signed by an unknown key';
  return 'Token invalid';
}

/** The token's own (not yet verified) `iss` picks the key set; verification then pins that issuer. */
function issuerOf(token: string, issuers: readonly TrustedIssuer[]): TrustedIssuer {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    throw unauthenticated('Token invalid');
  }
  const trusted = issuers.find((entry) => entry.issuer === iss);
  if (!trusted) throw unauthenticated('Token claim "iss" is invalid');
  return trusted;
}

/** Bearer JWT (or the development tenant header) → `c.get('principal')`. */
export function auth(options: AuthOptions): MiddlewareHandler<AppEnv> {
  const { issuers, audience, devAccess, devSignIn } = options;
  return async function authenticate(c, next) {
    const header = c.req.header('Authorization');
    const devTenant = c.req.header('X-Dev-Tenant');
    if (!header && devTenant === undefined && devSignIn && devAccess) {
      // Refused automatic sign-in (another site, a rebinding host) falls through to "token required".
      if (devAccessRefusal(c.req.raw, devAccess) === undefined) {
        c.set('principal', devPrincipal(devSignIn));
        return next();
      }
    }
    if (!header && devTenant !== undefined) {
      if (!devAccess) throw unauthenticated('X-Dev-Tenant is only accepted when APP_ENV=development');
      const refusal = devAccessRefusal(c.req.raw, devAccess);
      if (refusal) throw unauthenticated(refusal);
      c.set('principal', devPrincipal(devTenant));
      return next();
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer');
      throw unauthenticated('Missing Authorization: Bearer token');
    }
    try {
      c.set('principal', await verifyAccessToken(match[1]!, { issuers, audience }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401)
        c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw err;
    }
    return next();
  };
}

/**
 * An identity provider's access token → the principal, or ApiError 401 (invalid) / 503 (provider unreachable). Shared
 * by the API middleware and the data plane's WebSocket fan-out, which takes the token from its upgrade request.
 */
export async function verifyAccessToken(
  token: string,
  { issuers, audience }: Pick<AuthOptions, 'issuers' | 'audience'>,
): Promise<Principal> {
  if (issuers.length === 0) throw unauthenticated('Token authentication is not configured (JWT_ISSUER)');
  const trusted = issuerOf(token, issuers);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, trusted.keys, {
      issuer: trusted.issuer,
      audience,
      algorithms: ALGORITHMS,
      requiredClaims: ['exp'],
    }));
  } catch (err) {
    // The identity provider being unreachable, failing (5xx) or serving a broken key set says nothing about the
    // token: answer 503, not 401. jose throws its bare JOSEError only for a failed JWKS fetch.
    if (
      err instanceof joseErrors.JWKSTimeout ||
      err instanceof joseErrors.JWKSInvalid ||
      err instanceof TypeError ||
      (err as { code?: unknown }).code === joseErrors.JOSEError.code
    ) {
      throw unavailable('auth_unavailable', 'Cannot verify the token with the identity provider', err);
    }
    throw unauthenticated(describe(err));
  }
  const principal = principalFrom(payload);
  if (trusted.tenant !== undefined && principal.tenantId !== trusted.tenant) {
    throw unauthenticated(`Token tenant_id does not belong to its issuer's tenant`);
  }
  return principal;
}

/** The development tenant header's principal (only when APP_ENV=development; the caller checks). */
export function devPrincipal(devTenant: string): Principal {
  if (!TENANT.test(devTenant)) throw unauthenticated('X-Dev-Tenant is not a valid tenant id');
  return { sub: 'dev-user', tenantId: devTenant, email: 'dev@flowforge.local', roles: ['admin'] };
}

const RANK: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };

/** viewer reads; analyst also writes workflows, dashboards and widgets; admin also manages API keys and ACLs. */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async function checkRole(c, next) {
    const best = Math.max(0, ...c.get('principal').roles.map((r) => RANK[r]));
    if (best < RANK[role]) throw new ApiError(403, 'forbidden', `This action needs the ${role} role`);
    return next();
  };
}
