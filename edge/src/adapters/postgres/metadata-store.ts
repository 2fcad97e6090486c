import type {
  ApiKey,
  AuditEntry,
  Dashboard,
  DashboardPatch,
  MetadataStore,
  NewApiKey,
  NewAuditEntry,
  NewDashboard,
  NewWidget,
  NewWorkflow,
  TenantAcl,
  UpdateResult,
  Widget,
  WidgetPatch,
  Workflow,
  WorkflowPatch,
  WorkflowVersion,
} from '../../ports/metadata-store.ts';
import { reportingOutages, type SqlClient } from './sql-client.ts';

type R = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A malformed id can only name a row that does not exist; checking here keeps PostgreSQL's cast error from becoming a 500.
const isUuid = (id: string): boolean => UUID.test(id);

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const isoOrNull = (v: unknown): string | null => (v == null ? null : iso(v));
const json = (v: unknown): string => JSON.stringify(v ?? null);

const WORKFLOW_COLS = 'id::text, name, graph_json, version, created_by, created_at, updated_at';
const toWorkflow = (r: R): Workflow => ({
  id: r.id as string,
  name: r.name as string,
  graph: r.graph_json,
  version: Number(r.version),
  createdBy: r.created_by as string,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const VERSION_COLS = 'workflow_id::text, version, name, graph_json, created_by, created_at';
const toVersion = (r: R): WorkflowVersion => ({
  workflowId: r.workflow_id as string,
  version: Number(r.version),
  name: r.name as string,
  graph: r.graph_json,
  createdBy: r.created_by as string,
  createdAt: iso(r.created_at),
});

const DASHBOARD_COLS =
  'id::text, name, layout_json, filters_json, refresh_seconds, created_by, created_at, updated_at';
const toDashboard = (r: R): Dashboard => ({
  id: r.id as string,
  name: r.name as string,
  layout: r.layout_json,
  filters: (r.filters_json ?? {}) as Dashboard['filters'],
  refreshSeconds: Number(r.refresh_seconds),
  createdBy: r.created_by as string,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const WIDGET_COLS =
  'id::text, dashboard_id::text, workflow_id::text, output_node_id, widget_type, config_json, created_at, updated_at';
const toWidget = (r: R): Widget => ({
  id: r.id as string,
  dashboardId: (r.dashboard_id as string | null) ?? null,
  workflowId: r.workflow_id as string,
  outputNodeId: r.output_node_id as string,
  widgetType: r.widget_type as string,
  config: r.config_json,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const KEY_COLS =
  'id::text, tenant_id, name, prefix, scoped_widget_ids::text[] AS scoped_widget_ids, allowed_origins, expires_at, revoked_at, last_used_at, created_by, created_at';
const toApiKey = (r: R): ApiKey => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  name: r.name as string,
  prefix: r.prefix as string,
  scopedWidgetIds: (r.scoped_widget_ids as string[]) ?? [],
  allowedOrigins: (r.allowed_origins as string[]) ?? [],
  expiresAt: isoOrNull(r.expires_at),
  revokedAt: isoOrNull(r.revoked_at),
  lastUsedAt: isoOrNull(r.last_used_at),
  createdBy: r.created_by as string,
  createdAt: iso(r.created_at),
});

/** MetadataStore for any PostgreSQL reachable through a SqlClient (Neon driver, PGlite). */
export class PgMetadataStore implements MetadataStore {
  private readonly db: SqlClient;

  constructor(db: SqlClient) {
    this.db = reportingOutages(db);
  }

  private async one<T>(sql: string, params: unknown[], map: (r: R) => T): Promise<T | null> {
    const rows = await this.db.query<R>(sql, params);
    return rows[0] ? map(rows[0]) : null;
  }

  async listWorkflows(tenant: string): Promise<Workflow[]> {
    const rows = await this.db.query<R>(
      `SELECT ${WORKFLOW_COLS} FROM workflows WHERE tenant_id = $1 ORDER BY updated_at DESC, id`,
      [tenant],
    );
    return rows.map(toWorkflow);
  }

  async getWorkflow(tenant: string, id: string): Promise<Workflow | null> {
    if (!isUuid(id)) return null;
    return this.one(
      `SELECT ${WORKFLOW_COLS} FROM workflows WHERE tenant_id = $1 AND id = $2`,
      [tenant, id],
      toWorkflow,
    );
  }

  async createWorkflow(tenant: string, actor: string, input: NewWorkflow): Promise<Workflow> {
    // One statement writes the row and its version 1, so a crash can never leave a workflow without history.
    const rows = await this.db.query<R>(
      `WITH w AS (
         INSERT INTO workflows (tenant_id, name, graph_json, created_by) VALUES ($1, $2, $3::jsonb, $4)
         RETURNING *
       ), v AS (
         INSERT INTO workflow_versions (tenant_id, workflow_id, version, name, graph_json, created_by)
         SELECT tenant_id, id, version, name, graph_json, created_by FROM w
       )
       SELECT ${WORKFLOW_COLS} FROM w`,
      [tenant, input.name, json(input.graph), actor],
    );
    return toWorkflow(rows[0]!);
  }

  async updateWorkflow(
    tenant: string,
    id: string,
    actor: string,
    patch: WorkflowPatch,
  ): Promise<UpdateResult<Workflow>> {
    if (!isUuid(id)) return { ok: false, reason: 'not_found' };
    const rows = await this.db.query<R>(
      `WITH w AS (
         UPDATE workflows SET
           name = COALESCE($3, name),
           graph_json = COALESCE($4::jsonb, graph_json),
           version = version + 1,
           updated_at = now()
         WHERE tenant_id = $1 AND id = $2 AND ($5::int IS NULL OR version = $5::int)
         RETURNING *
       ), v AS (
         INSERT INTO workflow_versions (tenant_id, workflow_id, version, name, graph_json, created_by)
         SELECT tenant_id, id, version, name, graph_json, $6 FROM w
       )
       SELECT ${WORKFLOW_COLS} FROM w`,
      [
        tenant,
        id,
        patch.name ?? null,
        patch.graph === undefined ? null : json(patch.graph),
        patch.expectedVersion ?? null,
        actor,
      ],
    );
    if (rows[0]) return { ok: true, value: toWorkflow(rows[0]) };
    const current = await this.getWorkflow(tenant, id);
    return current
      ? { ok: false, reason: 'conflict', current: current.version }
      : { ok: false, reason: 'not_found' };
  }

  async deleteWorkflow(tenant: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await this.db.query('DELETE FROM workflows WHERE tenant_id = $1 AND id = $2 RETURNING id', [
      tenant,
      id,
    ]);
    return rows.length > 0;
  }

  async listWorkflowVersions(tenant: string, id: string): Promise<WorkflowVersion[] | null> {
    if (!(await this.getWorkflow(tenant, id))) return null;
    const rows = await this.db.query<R>(
      `SELECT ${VERSION_COLS} FROM workflow_versions WHERE tenant_id = $1 AND workflow_id = $2 ORDER BY version DESC`,
      [tenant, id],
    );
    return rows.map(toVersion);
  }

  async getWorkflowVersion(tenant: string, id: string, version: number): Promise<WorkflowVersion | null> {
    if (!isUuid(id)) return null;
    return this.one(
      `SELECT ${VERSION_COLS} FROM workflow_versions WHERE tenant_id = $1 AND workflow_id = $2 AND version = $3`,
      [tenant, id, version],
      toVersion,
    );
  }

  async listDashboards(tenant: string): Promise<Dashboard[]> {
    const rows = await this.db.query<R>(
      `SELECT ${DASHBOARD_COLS} FROM dashboards WHERE tenant_id = $1 ORDER BY updated_at DESC, id`,
      [tenant],
    );
    return rows.map(toDashboard);
  }

  async getDashboard(tenant: string, id: string): Promise<Dashboard | null> {
    if (!isUuid(id)) return null;
    return this.one(
      `SELECT ${DASHBOARD_COLS} FROM dashboards WHERE tenant_id = $1 AND id = $2`,
      [tenant, id],
      toDashboard,
    );
  }

  async createDashboard(tenant: string, actor: string, input: NewDashboard): Promise<Dashboard> {
    const rows = await this.db.query<R>(
      `INSERT INTO dashboards (tenant_id, name, layout_json, filters_json, refresh_seconds, created_by)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6) RETURNING ${DASHBOARD_COLS}`,
      [tenant, input.name, json(input.layout), json(input.filters), input.refreshSeconds, actor],
    );
    return toDashboard(rows[0]!);
  }

  async updateDashboard(tenant: string, id: string, patch: DashboardPatch): Promise<Dashboard | null> {
    if (!isUuid(id)) return null;
    return this.one(
      `UPDATE dashboards SET
         name = COALESCE($3, name),
         layout_json = COALESCE($4::jsonb, layout_json),
         filters_json = COALESCE($5::jsonb, filters_json),
         refresh_seconds = COALESCE($6, refresh_seconds),
         updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING ${DASHBOARD_COLS}`,
      [
        tenant,
        id,
        patch.name ?? null,
        patch.layout === undefined ? null : json(patch.layout),
        patch.filters === undefined ? null : json(patch.filters),
        patch.refreshSeconds ?? null,
      ],
      toDashboard,
    );
  }

  async deleteDashboard(tenant: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await this.db.query('DELETE FROM dashboards WHERE tenant_id = $1 AND id = $2 RETURNING id', [
      tenant,
      id,
    ]);
    return rows.length > 0;
  }

  async listWidgets(tenant: string, filter: { dashboardId?: string } = {}): Promise<Widget[]> {
    if (filter.dashboardId !== undefined && !isUuid(filter.dashboardId)) return [];
    const rows = await this.db.query<R>(
      `SELECT ${WIDGET_COLS} FROM widgets WHERE tenant_id = $1 AND ($2::uuid IS NULL OR dashboard_id = $2::uuid)
       ORDER BY created_at, id`,
      [tenant, filter.dashboardId ?? null],
    );
    return rows.map(toWidget);
  }

  async getWidget(tenant: string, id: string): Promise<Widget | null> {
    if (!isUuid(id)) return null;
    return this.one(
      `SELECT ${WIDGET_COLS} FROM widgets WHERE tenant_id = $1 AND id = $2`,
      [tenant, id],
      toWidget,
    );
  }

  async createWidget(tenant: string, input: NewWidget): Promise<Widget> {
    const rows = await this.db.query<R>(
      `INSERT INTO widgets (tenant_id, dashboard_id, workflow_id, output_node_id, widget_type, config_json)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING ${WIDGET_COLS}`,
      [tenant, input.dashboardId, input.workflowId, input.outputNodeId, input.widgetType, json(input.config)],
    );
    return toWidget(rows[0]!);
  }

  async updateWidget(tenant: string, id: string, patch: WidgetPatch): Promise<Widget | null> {
    if (!isUuid(id)) return null;
    // dashboard_id may be set to null explicitly (detach), so it needs a "was it given" flag rather than COALESCE.
    return this.one(
      `UPDATE widgets SET
         dashboard_id = CASE WHEN $3 THEN $4::uuid ELSE dashboard_id END,
         workflow_id = COALESCE($5::uuid, workflow_id),
         output_node_id = COALESCE($6, output_node_id),
         widget_type = COALESCE($7, widget_type),
         config_json = COALESCE($8::jsonb, config_json),
         updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING ${WIDGET_COLS}`,
      [
        tenant,
        id,
        patch.dashboardId !== undefined,
        patch.dashboardId ?? null,
        patch.workflowId ?? null,
        patch.outputNodeId ?? null,
        patch.widgetType ?? null,
        patch.config === undefined ? null : json(patch.config),
      ],
      toWidget,
    );
  }

  async deleteWidget(tenant: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await this.db.query('DELETE FROM widgets WHERE tenant_id = $1 AND id = $2 RETURNING id', [
      tenant,
      id,
    ]);
    return rows.length > 0;
  }

  async listApiKeys(tenant: string): Promise<ApiKey[]> {
    const rows = await this.db.query<R>(
      `SELECT ${KEY_COLS} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenant],
    );
    return rows.map(toApiKey);
  }

  async createApiKey(tenant: string, actor: string, input: NewApiKey): Promise<ApiKey> {
    const rows = await this.db.query<R>(
      `INSERT INTO api_keys (tenant_id, name, key_hash, prefix, scoped_widget_ids, allowed_origins, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6::text[], $7::timestamptz, $8) RETURNING ${KEY_COLS}`,
      [
        tenant,
        input.name,
        input.keyHash,
        input.prefix,
        input.scopedWidgetIds,
        input.allowedOrigins,
        input.expiresAt,
        actor,
      ],
    );
    return toApiKey(rows[0]!);
  }

  async revokeApiKey(tenant: string, id: string): Promise<ApiKey | null> {
    if (!isUuid(id)) return null;
    return this.one(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING ${KEY_COLS}`,
      [tenant, id],
      toApiKey,
    );
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKey | null> {
    return this.one(`SELECT ${KEY_COLS} FROM api_keys WHERE key_hash = $1`, [keyHash], toApiKey);
  }

  async findApiKeyById(id: string): Promise<ApiKey | null> {
    if (!isUuid(id)) return null;
    return this.one(`SELECT ${KEY_COLS} FROM api_keys WHERE id = $1`, [id], toApiKey);
  }

  async touchApiKey(id: string): Promise<void> {
    await this.db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]);
  }

  async embedOriginsForWidget(widgetId: string): Promise<string[]> {
    if (!isUuid(widgetId)) return [];
    const rows = await this.db.query<{ origin: string }>(
      `SELECT DISTINCT unnest(allowed_origins) AS origin FROM api_keys
       WHERE scoped_widget_ids @> ARRAY[$1::uuid] ORDER BY origin`,
      [widgetId],
    );
    return rows.map((r) => r.origin);
  }

  async getAcl(tenant: string): Promise<TenantAcl> {
    const acl = await this.one(
      'SELECT allowed_symbols, allowed_tables, version FROM tenant_acls WHERE tenant_id = $1',
      [tenant],
      (r): TenantAcl => ({
        allowedSymbols: (r.allowed_symbols as string[] | null) ?? null,
        allowedTables: (r.allowed_tables as string[] | null) ?? null,
        version: Number(r.version),
      }),
    );
    // No row = a tenant nobody has restricted yet (the plan's single-tenant launch): everything, version 0.
    return acl ?? { allowedSymbols: null, allowedTables: null, version: 0 };
  }

  async putAcl(tenant: string, acl: Omit<TenantAcl, 'version'>): Promise<TenantAcl> {
    const rows = await this.db.query<R>(
      `INSERT INTO tenant_acls (tenant_id, allowed_symbols, allowed_tables) VALUES ($1, $2::text[], $3::text[])
       ON CONFLICT (tenant_id) DO UPDATE SET
         allowed_symbols = EXCLUDED.allowed_symbols,
         allowed_tables = EXCLUDED.allowed_tables,
         version = tenant_acls.version + 1,
         updated_at = now()
       RETURNING allowed_symbols, allowed_tables, version`,
      [tenant, acl.allowedSymbols, acl.allowedTables],
    );
    const r = rows[0]!;
    return {
      allowedSymbols: (r.allowed_symbols as string[] | null) ?? null,
      allowedTables: (r.allowed_tables as string[] | null) ?? null,
      version: Number(r.version),
    };
  }

  async appendAudit(tenant: string, entry: NewAuditEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_log (tenant_id, actor, action, target_type, target_id, details) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [tenant, entry.actor, entry.action, entry.targetType, entry.targetId, json(entry.details ?? {})],
    );
  }

  async listAudit(tenant: string, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db.query<R>(
      `SELECT id::text, actor, action, target_type, target_id, details, created_at FROM audit_log
       WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [tenant, limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      actor: r.actor as string,
      action: r.action as string,
      targetType: r.target_type as string,
      targetId: (r.target_id as string | null) ?? null,
      details: r.details,
      createdAt: iso(r.created_at),
    }));
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
