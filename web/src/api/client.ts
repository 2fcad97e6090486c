import type {
  CatalogResponse,
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
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    signal: signal ?? null,
    credentials: 'same-origin',
  });
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

export const api = {
  me: (signal?: AbortSignal) => request<SessionOut>('GET', '/api/v1/me', undefined, signal),
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
  exportCsv: async (body: TableRequest): Promise<Blob> => {
    const response = await fetch('/api/v1/export.csv', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
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
  },
};
