/**
 * Request and response types of the HTTP API, inferred from the zod schemas that validate requests and generate the
 * OpenAPI document: the web app imports these (types only) so client and server cannot drift.
 */
import type { z } from 'zod';
import type {
  catalogResponse,
  previewBody,
  queryResponse,
  tableBody,
  tableResponse,
} from './routes/query.ts';
import type { aclBody, aclOut } from './routes/acl.ts';
import type { createdKeyOut, createKeyBody, keyOut } from './routes/api-keys.ts';
import type { auditEntryOut } from './routes/audit.ts';
import type { embedWidgetOut, tokenBody, tokenOut } from './routes/embed.ts';
import type { memberOut } from './routes/members.ts';
import type { authConfigOut, sessionOut } from './routes/session.ts';
import type { dashboardCreateBody, dashboardOut, dashboardPatchBody } from './routes/dashboards.ts';
import type { widgetCreateBody, widgetDataOut, widgetOut, widgetPatchBody } from './routes/widgets.ts';
import type { globalFiltersSchema } from './routes/filters.ts';
import type { createBody, patchBody, versionOut, workflowOut } from './routes/workflows.ts';

export type SessionOut = z.output<typeof sessionOut>;
export type AuthConfigOut = z.output<typeof authConfigOut>;
export type AclOut = z.output<typeof aclOut>;
export type AclPut = z.input<typeof aclBody>;
export type ApiKeyOut = z.output<typeof keyOut>;
export type ApiKeyCreate = z.input<typeof createKeyBody>;
export type ApiKeyCreated = z.output<typeof createdKeyOut>;
export type AuditEntryOut = z.output<typeof auditEntryOut>;
export type MemberOut = z.output<typeof memberOut>;
export type WorkflowOut = z.output<typeof workflowOut>;
export type WorkflowList = { workflows: WorkflowOut[] };
export type WorkflowCreate = z.input<typeof createBody>;
export type WorkflowPatch = z.input<typeof patchBody>;
export type WorkflowVersionList = { versions: z.output<typeof versionOut>[] };
export type PreviewRequest = z.input<typeof previewBody>;
export type PreviewResponse = z.output<typeof queryResponse>;
export type TableRequest = z.input<typeof tableBody>;
export type TableResponse = z.output<typeof tableResponse>;
export type CatalogResponse = z.output<typeof catalogResponse>;
export type DashboardOut = z.output<typeof dashboardOut>;
export type DashboardList = { dashboards: DashboardOut[] };
export type DashboardCreate = z.input<typeof dashboardCreateBody>;
export type DashboardPatch = z.input<typeof dashboardPatchBody>;
export type GlobalFilters = z.output<typeof globalFiltersSchema>;
export type WidgetOut = z.output<typeof widgetOut>;
export type WidgetList = { widgets: WidgetOut[] };
export type WidgetCreate = z.input<typeof widgetCreateBody>;
export type WidgetPatch = z.input<typeof widgetPatchBody>;
export type WidgetData = z.output<typeof widgetDataOut>;
export type EmbedWidgetOut = z.output<typeof embedWidgetOut>;
export type EmbedTokenRequest = z.input<typeof tokenBody>;
export type EmbedTokenOut = z.output<typeof tokenOut>;
