import { stream } from 'hono/streaming';
import { z } from 'zod';
import { graphDocumentSchema } from '../workflow/index.ts';
import type { AppDeps } from '../deps.ts';
import type { Row } from '../ports/analytics-engine.ts';
import { afterResponse } from '../middleware/wait-until/index.ts';
import { responseJson, runQuery, streamQuery, type QueryContext } from '../query/index.ts';
import type { TenantAcls } from '../query/tenant-acls.ts';
import type { Route } from './define.ts';
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';

const sortSchema = z
  .array(z.object({ column: z.string().min(1), direction: z.enum(['ASC', 'DESC']).default('ASC') }))
  .max(8)
  .optional();

// Plan §14 request shapes. target_node_id names the node whose output is shown.
export const previewBody = z.object({
  graph: graphDocumentSchema,
  target_node_id: z.string().min(1),
  limit: z.number().int().min(1).max(1000).default(100),
  /** The user's Refresh: run on the engine even when a cached answer exists. */
  refresh: z.boolean().default(false),
});
export const tableBody = z.object({
  graph: graphDocumentSchema,
  target_node_id: z.string().min(1),
  /** 0-based: page 0 holds rows 1…page_size. OFFSET = page × page_size may not pass 10 000. */
  page: z.number().int().min(0).default(0),
  page_size: z.number().int().min(1).max(1000).default(50),
  /** A view-only sort: applied to this page request, never saved into the workflow. */
  sort: sortSchema,
  refresh: z.boolean().default(false),
});
export const exportBody = z.object({
  graph: graphDocumentSchema,
  target_node_id: z.string().min(1),
  sort: sortSchema,
});

export const queryResponse = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(z.unknown())),
  row_count: z.number(),
  total_rows: z
    .number()
    .nullable()
    .describe(
      'Rows the whole result has, before the preview limit or the page; null when the store cannot count',
    ),
  truncated: z.boolean(),
  execution_ms: z.number(),
  cache_hit: z.boolean(),
  cache: z.enum(['hit', 'miss', 'unavailable']),
  sql: z.string(),
  as_of: z.string().describe('When the engine ran the query (ISO 8601 UTC); a cache hit keeps its run time'),
  unapplied_filters: z
    .array(z.enum(['date', 'symbols']))
    .describe('Global filters that no table the query reads could take'),
});
export const tableResponse = queryResponse.extend({ page: z.number(), page_size: z.number() });
export const catalogResponse = z.object({
  tables: z.array(
    z.object({
      database: z.string(),
      table: z.string(),
      store: z.string(),
      columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean() })),
      description: z.string().optional().describe("The store's comment on the table"),
      row_count: z.number().optional().describe("The store's row count estimate (absent for views)"),
    }),
  ),
});

/** RFC 4180 quoting, plus a leading `'` on text that a spreadsheet would run as a formula (CSV injection). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
const csvLine = (cells: readonly unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** First cell of the row that ends an export which failed after streaming began. */
export const EXPORT_ERROR_MARKER = '#FLOWFORGE_EXPORT_ERROR';

/**
 * Streams a query's rows as CSV. Status 200 and the headers leave before the last row is read, so a failure midway
 * ends the file with a row whose first cell is EXPORT_ERROR_MARKER.
 */
export function csvResponse(
  c: Context<AppEnv>,
  deps: AppDeps,
  { columns, rows }: { columns: readonly { name: string }[]; rows: AsyncIterable<Row> },
  fileName: string,
) {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${fileName.replace(/[^\w.-]+/g, '_')}"`);
  c.header('X-Row-Cap', String(deps.config.EXPORT_MAX_ROWS));
  return stream(c, async (out) => {
    await out.write(csvLine(columns.map((col) => col.name)));
    let batch = '';
    let count = 0;
    try {
      for await (const row of rows) {
        batch += csvLine(row);
        // Flush in chunks: one write per row would dominate the time of a large export.
        if (++count % 500 === 0) {
          await out.write(batch);
          batch = '';
        }
      }
    } catch (err) {
      // Status 200 and the headers are gone: a last row is the only way left to say the file is incomplete.
      const id = c.get('requestId');
      console.error(`request ${id}: export failed after ${count} rows:`, err);
      batch += csvLine([
        EXPORT_ERROR_MARKER,
        `The export failed after ${count} rows; this file is incomplete (request ${id})`,
      ]);
    }
    if (batch) await out.write(batch);
  });
}

/**
 * The HTTP side of a query: its phases go to `Server-Timing`, the cache write after the response — the Worker's
 * waitUntil keeps the isolate for it; a Node process lives on anyway, so the write is never awaited on the hot path
 * (a round trip to the Upstash REST port in stack mode). A failed write is logged.
 */
export const queryContext = (c: Context<AppEnv>): QueryContext => ({
  timings: c.get('timings'),
  defer: (work) => afterResponse(c, work, 'preview cache write'),
  admit: c.get('admission'),
  admitLikely: c.get('admissionLikely'),
});

export function queryRoutes(route: Route, deps: AppDeps, acls: TenantAcls): void {
  const aclOf = (c: Context<AppEnv>) =>
    c.get('timings').measure('acl', () => acls.get(c.get('metadata'), c.get('principal').tenantId));
  route(
    {
      method: 'post',
      path: '/api/v1/preview',
      tag: 'query',
      auth: 'bearer',
      role: 'viewer',
      summary: 'Preview a node: first rows of the subgraph up to it (cached 5 min)',
      limitBeside: true,
      body: previewBody,
      response: { status: 200, description: 'Rows', schema: queryResponse },
    },
    async (c, { body }) => {
      const tenant = c.get('principal').tenantId;
      const acl = await aclOf(c);
      const result = await runQuery(
        deps,
        {
          tenant,
          acl,
          graph: body.graph,
          target: body.target_node_id,
          limit: body.limit,
          refresh: body.refresh,
        },
        queryContext(c),
      );
      // The bytes the cache write stores after the response: serialised once.
      return c.body(responseJson(result), 200, { 'Content-Type': 'application/json' });
    },
  );

  route(
    {
      method: 'post',
      path: '/api/v1/table',
      tag: 'query',
      auth: 'bearer',
      role: 'viewer',
      summary: 'One page of a node or table_view output (offset capped at 10 000 rows)',
      limitBeside: true,
      body: tableBody,
      response: { status: 200, description: 'Page', schema: tableResponse },
    },
    async (c, { body }) => {
      const tenant = c.get('principal').tenantId;
      const acl = await aclOf(c);
      const result = await runQuery(
        deps,
        {
          tenant,
          acl,
          graph: body.graph,
          target: body.target_node_id,
          limit: body.page_size,
          refresh: body.refresh,
          view: {
            page: { page: body.page, pageSize: body.page_size },
            ...(body.sort ? { sort: body.sort } : {}),
          },
        },
        queryContext(c),
      );
      return c.json({ ...result, page: body.page, page_size: body.page_size });
    },
  );

  route(
    {
      method: 'post',
      path: '/api/v1/export.csv',
      tag: 'query',
      auth: 'bearer',
      role: 'viewer',
      summary: `Stream a node's output as CSV (at most EXPORT_MAX_ROWS rows). A failure after the first bytes ends the file with a row whose first cell is ${EXPORT_ERROR_MARKER}`,
      body: exportBody,
      response: { status: 200, description: 'CSV with a header row', contentType: 'text/csv' },
    },
    async (c, { body }) => {
      const tenant = c.get('principal').tenantId;
      const acl = await aclOf(c);
      const query = {
        tenant,
        acl,
        graph: body.graph,
        target: body.target_node_id,
        ...(body.sort ? { view: { sort: body.sort } } : {}),
      };
      return csvResponse(c, deps, await streamQuery(deps, query), 'flowforge-export.csv');
    },
  );

  route(
    {
      method: 'get',
      path: '/api/v1/schema',
      tag: 'query',
      auth: 'bearer',
      role: 'viewer',
      summary: "The tenant's catalog: tables and normalized column types (re-discovered every 60 s)",
      response: { status: 200, description: 'Catalog', schema: catalogResponse },
    },
    async (c) => {
      const acl = await aclOf(c);
      return c.json({ tables: await deps.catalog.tables(acl.allowedTables) });
    },
  );
}
