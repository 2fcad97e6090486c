import { z } from 'zod';
import type { Route } from './define.ts';

export const sessionOut = z.object({
  sub: z.string(),
  tenant_id: z.string(),
  email: z.string(),
  roles: z.array(z.enum(['viewer', 'analyst', 'admin'])),
  /** True when the development tenant header stands in for a token (APP_ENV=development only). */
  dev: z.boolean(),
});

/** Who the caller is: the web app shows it, and in the embedded mode says that login was automatic. */
export function sessionRoutes(route: Route): void {
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
      const { sub, tenantId, email, roles } = c.var.principal;
      const dev = c.req.header('Authorization') === undefined && c.req.header('X-Dev-Tenant') !== undefined;
      return c.json({ sub, tenant_id: tenantId, email, roles, dev });
    },
  );
}
