import type {
  AclOut,
  AclPut,
  ApiKeyCreate,
  ApiKeyCreated,
  ApiKeyOut,
  AuditEntryOut,
  AuthConfigOut,
  MemberOut,
  CatalogResponse,
  DashboardCreate,
  DashboardList,
  DashboardOut,
  DashboardPatch,
  GlobalFilters,
  WidgetCreate,
  WidgetData,
  WidgetList,
  WidgetOut,
  WidgetPatch,
  PreviewRequest,
  SessionOut,
  PreviewResponse,
  TableRequest,
  TableResponse,
  WorkflowCreate,
  WorkflowList,
  WorkflowOut,
  WorkflowPatch,
  WorkflowVersionList,
} from '@flowforge/edge/api-types';
import { authorizedFetch, hasBearer } from './bearer.ts';
import { takeEarly } from './early.ts';

/** An `{error:{code,message,details}}` answer from the edge, kept whole so the UI can show node-level details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const early = method === 'GET' && !hasBearer() ? await takeEarly(path) : null;
  if (early) return readApiResponse<T>(early);
  const response = await authorizedFetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    signal: signal ?? null,
  });
  return readApiResponse<T>(response);
}

/** The JSON of a successful answer, or the API's `{error}` as an `ApiError` (also for callers with their own auth). */
export async function readApiResponse<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ApiError(
      response.status,
      'bad_response',
      `Server answered ${response.status} with a non-JSON body`,
    );
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
      ?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `Request failed (${response.status})`,
      error?.details,
    );
  }
  return json as T;
}

const id = (value: string) => encodeURIComponent(value);

/** Rows a widget asks for: a daily chart of every symbol over a year fits; the API caps at 10 000. */
export const WIDGET_ROW_LIMIT = 5000;

/** The widget type the API stores for an output node type: a Table View is a `table` widget. */
export const widgetTypeOf = (nodeType: string) =>
  (nodeType === 'table_view' ? 'table' : nodeType) as WidgetCreate['widget_type'];

/** `?symbols=AAPL,MSFT&date_from=…`: the widget data route's query form of the global filters. */
export function filtersSearch(filters: GlobalFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (filters.date_from) params.set('date_from', filters.date_from);
  if (filters.date_to) params.set('date_to', filters.date_to);
  if (filters.symbols?.length) params.set('symbols', filters.symbols.join(','));
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const api = {
  authConfig: () => request<AuthConfigOut>('GET', '/api/v1/auth/config'),
  me: (signal?: AbortSignal) => request<SessionOut>('GET', '/api/v1/me', undefined, signal),
  getAcl: (signal?: AbortSignal) => request<AclOut>('GET', '/api/v1/acl', undefined, signal),
  putAcl: (body: AclPut) => request<AclOut>('PUT', '/api/v1/acl', body),
  listApiKeys: (signal?: AbortSignal) =>
    request<{ api_keys: ApiKeyOut[] }>('GET', '/api/v1/api-keys', undefined, signal),
  createApiKey: (body: ApiKeyCreate) => request<ApiKeyCreated>('POST', '/api/v1/api-keys', body),
  revokeApiKey: (id: string) => request<void>('DELETE', `/api/v1/api-keys/${encodeURIComponent(id)}`),
  listAllWidgets: (signal?: AbortSignal) => request<WidgetList>('GET', '/api/v1/widgets', undefined, signal),
  listMembers: (signal?: AbortSignal) =>
    request<{ members: MemberOut[] }>('GET', '/api/v1/members', undefined, signal),
  listAudit: (limit: number, signal?: AbortSignal) =>
    request<{ entries: AuditEntryOut[] }>('GET', `/api/v1/audit?limit=${limit}`, undefined, signal),
  listWorkflows: (signal?: AbortSignal) =>
    request<WorkflowList>('GET', '/api/v1/workflows', undefined, signal),
  getWorkflow: (id: string, signal?: AbortSignal) =>
    request<WorkflowOut>('GET', `/api/v1/workflows/${encodeURIComponent(id)}`, undefined, signal),
  createWorkflow: (body: WorkflowCreate) => request<WorkflowOut>('POST', '/api/v1/workflows', body),
  updateWorkflow: (id: string, body: WorkflowPatch) =>
    request<WorkflowOut>('PATCH', `/api/v1/workflows/${encodeURIComponent(id)}`, body),
  deleteWorkflow: (id: string) => request<void>('DELETE', `/api/v1/workflows/${encodeURIComponent(id)}`),
  listVersions: (id: string, signal?: AbortSignal) =>
    request<WorkflowVersionList>(
      'GET',
      `/api/v1/workflows/${encodeURIComponent(id)}/versions`,
      undefined,
      signal,
    ),
  restoreVersion: (id: string, version: number) =>
    request<WorkflowOut>(
      'POST',
      `/api/v1/workflows/${encodeURIComponent(id)}/versions/${version}/restore`,
      {},
    ),
  catalog: (signal?: AbortSignal) => request<CatalogResponse>('GET', '/api/v1/schema', undefined, signal),
  preview: (body: PreviewRequest, signal?: AbortSignal) =>
    request<PreviewResponse>('POST', '/api/v1/preview', body, signal),
  table: (body: TableRequest, signal?: AbortSignal) =>
    request<TableResponse>('POST', '/api/v1/table', body, signal),
  listDashboards: (signal?: AbortSignal) =>
    request<DashboardList>('GET', '/api/v1/dashboards', undefined, signal),
  getDashboard: (dashboardId: string, signal?: AbortSignal) =>
    request<DashboardOut>('GET', `/api/v1/dashboards/${id(dashboardId)}`, undefined, signal),
  createDashboard: (body: DashboardCreate) => request<DashboardOut>('POST', '/api/v1/dashboards', body),
  updateDashboard: (dashboardId: string, body: DashboardPatch) =>
    request<DashboardOut>('PATCH', `/api/v1/dashboards/${id(dashboardId)}`, body),
  deleteDashboard: (dashboardId: string) => request<void>('DELETE', `/api/v1/dashboards/${id(dashboardId)}`),
  listWidgets: (dashboardId: string, signal?: AbortSignal) =>
    request<WidgetList>('GET', `/api/v1/widgets?dashboard_id=${id(dashboardId)}`, undefined, signal),
  createWidget: (body: WidgetCreate) => request<WidgetOut>('POST', '/api/v1/widgets', body),
  updateWidget: (widgetId: string, body: WidgetPatch) =>
    request<WidgetOut>('PATCH', `/api/v1/widgets/${id(widgetId)}`, body),
  deleteWidget: (widgetId: string) => request<void>('DELETE', `/api/v1/widgets/${id(widgetId)}`),
  /** The dashboard's filters travel in the query so a URL-shared filter applies without saving the dashboard. */
  widgetData: (widgetId: string, filters: GlobalFilters, refresh: boolean, signal?: AbortSignal) =>
    request<WidgetData>(
      'GET',
      `/api/v1/widgets/${id(widgetId)}/data${filtersSearch(filters, {
        limit: String(WIDGET_ROW_LIMIT),
        ...(refresh ? { refresh: '1' } : {}),
      })}`,
      undefined,
      signal,
    ),
  exportCsv: (body: TableRequest): Promise<Blob> =>
    csvBlob('/api/v1/export.csv', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  /** Every row of a widget with the filters on screen, as the dashboard shows it. */
  widgetCsv: (widgetId: string, filters: GlobalFilters): Promise<Blob> =>
    csvBlob(`/api/v1/widgets/${id(widgetId)}/export.csv${filtersSearch(filters, {})}`, { method: 'GET' }),
};

async function csvBlob(path: string, init: RequestInit): Promise<Blob> {
  const response = await authorizedFetch(path, init);
  if (!response.ok) {
    const error = (
      (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } }
    ).error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `Export failed (${response.status})`,
    );
  }
  return response.blob();
}
