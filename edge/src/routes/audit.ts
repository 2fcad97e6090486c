import { z } from 'zod';
import type { Route } from './define.ts';

export const auditEntryOut = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string().nullable(),
  details: z.unknown(),
  created_at: z.string(),
});

/** The tenant's change history (writes to workflows, dashboards, widgets, keys and ACLs), newest first. */
export function auditRoutes(route: Route): void {
  route(
    {
      method: 'get',
      path: '/api/v1/audit',
      tag: 'admin',
      auth: 'bearer',
      role: 'admin',
      summary: "The tenant's audit log, newest first",
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: {
        status: 200,
        description: 'Entries',
        schema: z.object({ entries: z.array(auditEntryOut) }),
      },
    },
    async (c, { query }) => {
      const entries = await c.get('metadata').listAudit(c.get('principal').tenantId, query.limit);
      return c.json({
        entries: entries.map((e) => ({
          id: e.id,
          actor: e.actor,
          action: e.action,
          target_type: e.targetType,
          target_id: e.targetId,
          details: e.details,
          created_at: e.createdAt,
        })),
      });
    },
  );
}
