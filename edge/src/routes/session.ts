import { z } from 'zod';
import type { Config } from '../config.ts';
import { realmOf } from '../middleware/auth/issuers.ts';
import type { Route } from './define.ts';

export const sessionOut = z.object({
  sub: z.string(),
  tenant_id: z.string(),
  email: z.string(),
  roles: z.array(z.enum(['viewer', 'analyst', 'admin'])),
  /** True when a development sign-in stands in for a token (APP_ENV=development only). */
  dev: z.boolean(),
});

export const authConfigOut = z.object({
  /** The web app's public OIDC client (authorization code + PKCE). */
  client_id: z.string(),
  /** One sign-in choice per trusted issuer: the tenant picker. */
  realms: z.array(z.object({ tenant: z.string(), issuer: z.string() })),
});

/**
 * Who the caller is: the web app shows it, and in the embedded mode says that login was automatic. Before sign-in the
 * web app reads where it may sign in.
 */
export function sessionRoutes(route: Route, config: Config): void {
  route(
    {
      tag: 'session',
      auth: 'none',
      method: 'get',
      path: '/api/v1/auth/config',
      summary: 'Where the web app signs in: its OIDC client and one realm per tenant',
      response: { status: 200, description: 'Sign-in configuration', schema: authConfigOut },
    },
    (c) =>
      c.json({
        client_id: config.OIDC_WEB_CLIENT_ID,
        realms: config.issuers.map((i) => ({ tenant: i.tenant ?? realmOf(i.issuer), issuer: i.issuer })),
      }),
  );

  route(
    {
      tag: 'session',
      auth: 'bearer',
      method: 'get',
      path: '/api/v1/me',
      summary: 'The authenticated principal',
      role: 'viewer',
      response: { status: 200, description: 'Principal', schema: sessionOut },
    },
    async (c) => {
      const { sub, tenantId, email, roles } = c.get('principal');
      // Without a token, only a development sign-in (X-Dev-Tenant or DEV_SIGN_IN_TENANT) gets past the auth guard.
      const dev = c.req.header('Authorization') === undefined;
      return c.json({ sub, tenant_id: tenantId, email, roles, dev });
    },
  );
}
