import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { Config, IssuerConfig } from '../../config.ts';

/** An issuer the edge accepts tokens from, with the key set that verifies them. */
export interface TrustedIssuer extends IssuerConfig {
  keys: JWTVerifyGetKey;
}

/** A Keycloak issuer ends in `/realms/<realm>`. */
export const realmOf = (issuer: string): string => issuer.replace(/\/+$/, '').split('/').pop() ?? issuer;

/** Where Keycloak serves a realm's signing keys. */
export const keycloakJwksUrl = (issuer: string): string =>
  `${issuer.replace(/\/+$/, '')}/protocol/openid-connect/certs`;

/** One remote key set per trusted issuer; jose fetches it on first use and caches it (refetching for a new kid). */
export function trustedIssuers(config: Pick<Config, 'issuers' | 'JWKS_URL'>): TrustedIssuer[] {
  return config.issuers.map((entry) => ({
    ...entry,
    keys: createRemoteJWKSet(
      new URL(config.JWKS_URL?.replace('{realm}', realmOf(entry.issuer)) ?? keycloakJwksUrl(entry.issuer)),
    ),
  }));
}
