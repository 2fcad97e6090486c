/**
 * App metadata (PostgreSQL). Every method takes the tenant first and every query filters on it: a row of another tenant
 * is indistinguishable from a missing row (null / false), which the routes turn into 404.
 */
export type Json = unknown;

export interface Workflow {
  id: string;
  name: string;
  graph: Json;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowVersion {
  workflowId: string;
  version: number;
  name: string;
  graph: Json;
  createdBy: string;
  createdAt: string;
}

export interface GlobalFilters {
  /** A date range relative to today (UTC), resolved to `date_from` when a widget runs; exclusive with date_from/to. */
  range?: 'today' | '5d' | '1m' | '6m';
  date_from?: string;
  date_to?: string;
  symbols?: string[];
}

export interface Dashboard {
  id: string;
  name: string;
  layout: Json;
  filters: GlobalFilters;
  refreshSeconds: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface Widget {
  id: string;
  dashboardId: string | null;
  workflowId: string;
  outputNodeId: string;
  widgetType: string;
  config: Json;
  createdAt: string;
  updatedAt: string;
}

export interface ApiKey {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  scopedWidgetIds: string[];
  allowedOrigins: string[];
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export interface TenantAcl {
  /** null = every symbol. */
  allowedSymbols: string[] | null;
  /** null = every table; entries are `database.table`. */
  allowedTables: string[] | null;
  /** Bumped on every change; part of the preview cache key so a narrowed ACL never serves stale rows. */
  version: number;
}

export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Json;
  createdAt: string;
}

export type NewWorkflow = { name: string; graph: Json };
export type WorkflowPatch = { name?: string; graph?: Json; expectedVersion?: number };
export type NewDashboard = { name: string; layout: Json; filters: GlobalFilters; refreshSeconds: number };
export type DashboardPatch = Partial<NewDashboard>;
export type NewWidget = {
  dashboardId: string | null;
  workflowId: string;
  outputNodeId: string;
  widgetType: string;
  config: Json;
};
export type WidgetPatch = Partial<NewWidget>;
export type NewApiKey = {
  name: string;
  keyHash: string;
  prefix: string;
  scopedWidgetIds: string[];
  allowedOrigins: string[];
  expiresAt: string | null;
};
export type NewAuditEntry = {
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details?: Json;
};

/** `conflict` carries the current version when `expectedVersion` did not match. */
export type UpdateResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'conflict'; current: number };

export interface MetadataStore {
  listWorkflows(tenant: string): Promise<Workflow[]>;
  getWorkflow(tenant: string, id: string): Promise<Workflow | null>;
  createWorkflow(tenant: string, actor: string, input: NewWorkflow): Promise<Workflow>;
  updateWorkflow(
    tenant: string,
    id: string,
    actor: string,
    patch: WorkflowPatch,
  ): Promise<UpdateResult<Workflow>>;
  deleteWorkflow(tenant: string, id: string): Promise<boolean>;
  listWorkflowVersions(tenant: string, id: string): Promise<WorkflowVersion[] | null>;
  getWorkflowVersion(tenant: string, id: string, version: number): Promise<WorkflowVersion | null>;

  listDashboards(tenant: string): Promise<Dashboard[]>;
  getDashboard(tenant: string, id: string): Promise<Dashboard | null>;
  createDashboard(tenant: string, actor: string, input: NewDashboard): Promise<Dashboard>;
  updateDashboard(tenant: string, id: string, patch: DashboardPatch): Promise<Dashboard | null>;
  deleteDashboard(tenant: string, id: string): Promise<boolean>;

  listWidgets(tenant: string, filter?: { dashboardId?: string }): Promise<Widget[]>;
  getWidget(tenant: string, id: string): Promise<Widget | null>;
  createWidget(tenant: string, input: NewWidget): Promise<Widget>;
  updateWidget(tenant: string, id: string, patch: WidgetPatch): Promise<Widget | null>;
  deleteWidget(tenant: string, id: string): Promise<boolean>;

  listApiKeys(tenant: string): Promise<ApiKey[]>;
  createApiKey(tenant: string, actor: string, input: NewApiKey): Promise<ApiKey>;
  revokeApiKey(tenant: string, id: string): Promise<ApiKey | null>;
  /** Looks up across tenants: the key itself tells us the tenant. Returns revoked/expired keys too; callers decide. */
  findApiKeyByHash(keyHash: string): Promise<ApiKey | null>;
  findApiKeyById(id: string): Promise<ApiKey | null>;
  touchApiKey(id: string): Promise<void>;
  /**
   * The origins every key covering this widget allows (revoked and expired keys included, so their frames can still
   * say "revoked"), across tenants like the key look-ups: a widget id names one tenant's widget and only origins, which
   * the embed page's `frame-ancestors` publishes anyway, come back.
   */
  embedOriginsForWidget(widgetId: string): Promise<string[]>;

  getAcl(tenant: string): Promise<TenantAcl>;
  putAcl(tenant: string, acl: Omit<TenantAcl, 'version'>): Promise<TenantAcl>;

  appendAudit(tenant: string, entry: NewAuditEntry): Promise<void>;
  listAudit(tenant: string, limit: number): Promise<AuditEntry[]>;

  ping(): Promise<void>;
}

/** The metadata database could not be reached (not: it refused the statement). Routes answer 503 + Retry-After. */
export class MetadataUnavailable extends Error {
  constructor(cause: unknown) {
    super('The metadata database is unreachable', { cause });
    this.name = 'MetadataUnavailable';
  }
}
