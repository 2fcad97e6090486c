import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'http://127.0.0.1/realms/flowforge-test';
export const AUDIENCE = 'flowforge-app';

export interface Jwks {
  url: string;
  /** PEM/JWK of the RSA public key, for the "HS256 with the public key as secret" attack. */
  rsaPublicJwk: JWK;
  /** A signed RS256 (default) or ES256 token; claims override the defaults. */
  mint(
    claims?: JWTPayload & Record<string, unknown>,
    opts?: { alg?: 'RS256' | 'ES256'; expiresIn?: string | number },
  ): Promise<string>;
  /** A token for a tenant and role with everything else valid. */
  token(tenant: string, role?: 'viewer' | 'analyst' | 'admin'): Promise<string>;
  close(): Promise<void>;
}

/** A real JWKS endpoint on loopback (what Keycloak serves), with keys minted for this test run. */
export async function startJwks(): Promise<Jwks> {
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const ec = await generateKeyPair('ES256', { extractable: true });
  const rsaPublicJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
  const ecPublicJwk = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' };
  const body = JSON.stringify({ keys: [rsaPublicJwk, ecPublicJwk] });
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const mint: Jwks['mint'] = async (claims = {}, opts = {}) => {
    const alg = opts.alg ?? 'RS256';
    const key = alg === 'RS256' ? rsa.privateKey : ec.privateKey;
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg, kid: alg === 'RS256' ? 'rsa-1' : 'ec-1' })
      .setIssuer((claims.iss as string) ?? ISSUER)
      .setAudience((claims.aud as string) ?? AUDIENCE)
      .setSubject((claims.sub as string) ?? 'user-1')
      .setIssuedAt()
      .setExpirationTime(opts.expiresIn ?? '5m')
      .sign(key);
  };
  return {
    url: `http://127.0.0.1:${port}/realms/flowforge-test/protocol/openid-connect/certs`,
    rsaPublicJwk,
    mint,
    token: (tenant, role = 'admin') => mint({ tenant_id: tenant, realm_access: { roles: [role] } }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
