import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import type { TenantAcl } from '../ports/metadata-store.ts';
import type { Route } from './define.ts';
import { recordChange } from './side-effects.ts';

export const aclBody = z.object({
  /** null = every symbol; [] = none. */
  allowed_symbols: z.array(z.string().min(1).max(32)).max(10_000).nullable(),
  /** null = every table; entries `database.table`. */
  allowed_tables: z
    .array(z.string().regex(/^[^.\s]+\.[^.\s]+$/, 'expected database.table'))
    .max(10_000)
    .nullable(),
});
export const aclOut = aclBody.extend({ version: z.number() });
const toOut = (a: TenantAcl) => ({
  allowed_symbols: a.allowedSymbols,
  allowed_tables: a.allowedTables,
  version: a.version,
});

export function aclRoutes(route: Route, deps: AppDeps): void {
  route(
    {
      method: 'get',
      path: '/api/v1/acl',
      tag: 'admin',
      auth: 'bearer',
      role: 'viewer',
      summary: "The tenant's data ACL",
      response: { status: 200, description: 'ACL', schema: aclOut },
    },
    async (c) => c.json(toOut(await c.get('metadata').getAcl(c.get('principal').tenantId))),
  );

  route(
    {
      method: 'put',
      path: '/api/v1/acl',
      tag: 'admin',
      auth: 'bearer',
      role: 'admin',
      summary: "Replace the tenant's data ACL (bumps its version, which invalidates cached previews)",
      body: aclBody,
      response: { status: 200, description: 'ACL', schema: aclOut },
    },
    async (c, { body }) => {
      const acl = await c.get('metadata').putAcl(c.get('principal').tenantId, {
        allowedSymbols: body.allowed_symbols,
        allowedTables: body.allowed_tables,
      });
      await recordChange(
        c,
        deps,
        { action: 'acl.updated', targetType: 'acl', targetId: null, details: { version: acl.version } },
        'acl',
      );
      return c.json(toOut(acl));
    },
  );
}
