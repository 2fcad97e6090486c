import { z } from 'zod';
import { migrateGraph } from './graph-migrations.ts';
import { parseColumnType, type ColumnType } from './types.ts';

/** React Flow's node shape; unknown keys (width, selected, …) are kept so a saved canvas round-trips untouched. */
export const nodeSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  position: z.object({ x: z.number(), y: z.number() }).optional(),
  data: z.unknown(),
});

export const edgeSchema = z.looseObject({
  id: z.string().min(1),
  source: z.string().min(1),
  target: z.string().min(1),
  sourceHandle: z.string().nullish(),
  targetHandle: z.string().nullish(),
});

export const graphSchema = z.object({
  /** Document version (`graph-migrations.ts`); absent on documents saved before versioning. */
  version: z.number().int().min(0).optional(),
  nodes: z.array(nodeSchema),
  edges: z.array(edgeSchema),
});

/**
 * Graphs `graphDocumentSchema` returned: checked and at the current version, so `analyze` does not migrate and parse a
 * request's graph a second time. Like the catalog memo, this relies on checked graphs not being mutated (code that
 * derives a graph builds new objects, as views do).
 */
const checkedGraphs = new WeakSet<object>();

/** Whether `graph` is one `graphDocumentSchema` returned. */
export const isCheckedGraph = (graph: unknown): graph is Graph =>
  typeof graph === 'object' && graph !== null && checkedGraphs.has(graph);

/** A graph as the API accepts it: any version this build can read in, migrated to the current version out. */
export const graphDocumentSchema = graphSchema.transform((graph, ctx) => {
  const migrated = migrateGraph(graph);
  if (migrated.ok) {
    checkedGraphs.add(migrated.graph as Graph);
    return migrated.graph as Graph;
  }
  for (const problem of migrated.issues)
    ctx.addIssue({ code: 'custom', message: problem.message, path: problem.field ? [problem.field] : [] });
  return z.NEVER;
});

export type GraphNode = z.infer<typeof nodeSchema>;
export type GraphEdge = z.infer<typeof edgeSchema>;
export type Graph = z.infer<typeof graphSchema>;

const columnTypeSchema = z
  .string()
  .refine((text) => parseColumnType(text) !== undefined, {
    message: 'expected string, int64, float64, decimal(p,s), datetime, datetime(zone), date or boolean',
  })
  .transform((text) => parseColumnType(text) as ColumnType);

/** `redis` = hash families answered by point lookups (`lookup.ts`), not SQL. */
export const STORES = ['clickhouse', 'materialize', 'duckdb', 'postgres', 'redis'] as const;
export type Store = (typeof STORES)[number];

const catalogTableSchema = z.object({
  database: z.string().min(1),
  table: z.string().min(1),
  store: z.enum(STORES),
  columns: z.array(
    z.object({ name: z.string().min(1), type: columnTypeSchema, nullable: z.boolean().default(false) }),
  ),
});

export const catalogSchema = z.array(catalogTableSchema);

export type CatalogTable = z.output<typeof catalogTableSchema>;
export type Catalog = z.output<typeof catalogSchema>;
/** What callers may pass: `nullable` may be omitted. */
export type CatalogInput = z.input<typeof catalogSchema>;

/** A column name as written in a node config; emptiness is the only structural rule, existence is checked later. */
export const columnName = z.string().min(1);

/** Converts a zod issue path to the `field` notation of WorkflowIssue: `conditions[1].column`. */
export function fieldPath(path: readonly PropertyKey[]): string | undefined {
  let out = '';
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? undefined : out;
}
