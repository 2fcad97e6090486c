import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { notFound, ApiError } from '../errors.ts';
import type { Workflow, WorkflowVersion } from '../ports/metadata-store.ts';
import { graphDocumentSchema, graphSchema, migrateGraph } from '../workflow/index.ts';
import { param, type Route } from './define.ts';
import { recordChange } from './side-effects.ts';

// Unknown keys (tenant_id among them) are stripped: the tenant only ever comes from the token.
export const createBody = z.object({ name: z.string().trim().min(1).max(255), graph: graphDocumentSchema });
export const patchBody = z
  .object({
    name: z.string().trim().min(1).max(255).optional(),
    graph: graphDocumentSchema.optional(),
    /** Optimistic concurrency: the version the client edited; a mismatch answers 409. */
    version: z.number().int().positive().optional(),
  })
  .refine((b) => b.name !== undefined || b.graph !== undefined, { message: 'Give name and/or graph' });

export const workflowOut = z.object({
  id: z.string(),
  name: z.string(),
  graph: graphSchema,
  version: z.number(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export const versionOut = z.object({
  workflow_id: z.string(),
  version: z.number(),
  name: z.string(),
  graph: graphSchema,
  created_by: z.string(),
  created_at: z.string(),
});

/**
 * Stored documents are migrated on every read, so clients only ever see the current version; one saved by a newer
 * build (after a rollback) is passed through untouched rather than refused, for the client to report.
 */
const currentGraph = (graph: Workflow['graph']) => {
  const migrated = migrateGraph(graph);
  return migrated.ok ? migrated.graph : graph;
};

const toOut = (w: Workflow) => ({
  id: w.id,
  name: w.name,
  graph: currentGraph(w.graph),
  version: w.version,
  created_by: w.createdBy,
  created_at: w.createdAt,
  updated_at: w.updatedAt,
});
const versionToOut = (v: WorkflowVersion) => ({
  workflow_id: v.workflowId,
  version: v.version,
  name: v.name,
  graph: currentGraph(v.graph),
  created_by: v.createdBy,
  created_at: v.createdAt,
});

const base = { tag: 'workflows', auth: 'bearer' as const };

export function workflowRoutes(route: Route, deps: AppDeps): void {
  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/workflows',
      summary: 'List workflows',
      role: 'viewer',
      response: {
        status: 200,
        description: 'Workflows',
        schema: z.object({ workflows: z.array(workflowOut) }),
      },
    },
    async (c) =>
      c.json({ workflows: (await c.get('metadata').listWorkflows(c.get('principal').tenantId)).map(toOut) }),
  );

  route(
    {
      ...base,
      method: 'post',
      path: '/api/v1/workflows',
      summary: 'Create a workflow',
      role: 'analyst',
      body: createBody,
      response: { status: 201, description: 'Created', schema: workflowOut },
    },
    async (c, { body }) => {
      const w = await c
        .get('metadata')
        .createWorkflow(c.get('principal').tenantId, c.get('principal').sub, body);
      await recordChange(c, deps, { action: 'workflow.created', targetType: 'workflow', targetId: w.id });
      return c.json(toOut(w), 201);
    },
  );

  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/workflows/:id',
      summary: 'Get a workflow',
      role: 'viewer',
      response: { status: 200, description: 'Workflow', schema: workflowOut },
    },
    async (c) => {
      const w = await c.get('metadata').getWorkflow(c.get('principal').tenantId, param(c, 'id'));
      if (!w) throw notFound('Workflow');
      return c.json(toOut(w));
    },
  );

  route(
    {
      ...base,
      method: 'patch',
      path: '/api/v1/workflows/:id',
      summary: 'Update a workflow (new version)',
      role: 'analyst',
      body: patchBody,
      response: { status: 200, description: 'Updated', schema: workflowOut },
    },
    async (c, { body }) => {
      const id = param(c, 'id');
      const result = await c
        .get('metadata')
        .updateWorkflow(c.get('principal').tenantId, id, c.get('principal').sub, {
          name: body.name,
          graph: body.graph,
          expectedVersion: body.version,
        });
      if (!result.ok && result.reason === 'not_found') throw notFound('Workflow');
      if (!result.ok) {
        throw new ApiError(
          409,
          'version_conflict',
          `Workflow is at version ${result.current}, not ${body.version}`,
          {
            current_version: result.current,
          },
        );
      }
      await recordChange(
        c,
        deps,
        {
          action: 'workflow.updated',
          targetType: 'workflow',
          targetId: id,
          details: { version: result.value.version },
        },
        `workflow:${id}`,
      );
      return c.json(toOut(result.value));
    },
  );

  route(
    {
      ...base,
      method: 'delete',
      path: '/api/v1/workflows/:id',
      summary: 'Delete a workflow (and its widgets)',
      role: 'analyst',
      response: { status: 204, description: 'Deleted' },
    },
    async (c) => {
      const id = param(c, 'id');
      if (!(await c.get('metadata').deleteWorkflow(c.get('principal').tenantId, id)))
        throw notFound('Workflow');
      await recordChange(
        c,
        deps,
        { action: 'workflow.deleted', targetType: 'workflow', targetId: id },
        `workflow:${id}`,
      );
      return c.body(null, 204);
    },
  );

  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/workflows/:id/versions',
      summary: 'List saved versions, newest first',
      role: 'viewer',
      response: { status: 200, description: 'Versions', schema: z.object({ versions: z.array(versionOut) }) },
    },
    async (c) => {
      const versions = await c
        .get('metadata')
        .listWorkflowVersions(c.get('principal').tenantId, param(c, 'id'));
      if (!versions) throw notFound('Workflow');
      return c.json({ versions: versions.map(versionToOut) });
    },
  );

  route(
    {
      ...base,
      method: 'post',
      path: '/api/v1/workflows/:id/versions/:version/restore',
      summary: 'Restore an old version as the newest one',
      role: 'analyst',
      response: { status: 200, description: 'Restored', schema: workflowOut },
    },
    async (c) => {
      const tenant = c.get('principal').tenantId;
      const id = param(c, 'id');
      const number = Number(param(c, 'version'));
      const old = Number.isInteger(number)
        ? await c.get('metadata').getWorkflowVersion(tenant, id, number)
        : null;
      if (!old) throw notFound('Workflow version');
      const result = await c.get('metadata').updateWorkflow(tenant, id, c.get('principal').sub, {
        name: old.name,
        graph: currentGraph(old.graph),
      });
      if (!result.ok) throw notFound('Workflow');
      await recordChange(
        c,
        deps,
        {
          action: 'workflow.restored',
          targetType: 'workflow',
          targetId: id,
          details: { from_version: number, version: result.value.version },
        },
        `workflow:${id}`,
      );
      return c.json(toOut(result.value));
    },
  );
}
