import type { z } from 'zod';
import { issue, type WorkflowIssue } from './errors.ts';
import { analyzeStructure, type GraphStructure } from './graph.ts';
import { migrateGraph } from './graph-migrations.ts';
import { NODE_TYPES, type NodeContext } from './nodes/index.ts';
import { findTable } from './catalog.ts';
import { catalogSchema, fieldPath, graphSchema, isCheckedGraph, type Catalog, type Store } from './schema.ts';
import type { Columns } from './columns.ts';

/** Everything known about a graph against a catalog: parsed configs and output schemas of every healthy node. */
export interface Analysis {
  structure: GraphStructure;
  catalog: Catalog;
  configs: ReadonlyMap<string, unknown>;
  schemas: ReadonlyMap<string, Columns>;
  issues: WorkflowIssue[];
}

export type Analyzed = { ok: true; analysis: Analysis } | { ok: false; issues: WorkflowIssue[] };

type ParsedCatalog = ReturnType<typeof catalogSchema.safeParse>;
const parsedCatalogs = new WeakMap<object, ParsedCatalog>();

/**
 * A server compiles every request against the same catalog array until the next discovery, and parsing it cost a
 * quarter of a small graph's compile time (growing with the number of tables): an array is parsed once. The memo
 * relies on catalogs not being mutated once compiled against — `RefreshingCatalog` builds a new array per discovery.
 */
function parseCatalog(catalog: unknown): ParsedCatalog {
  if (typeof catalog !== 'object' || catalog === null) return catalogSchema.safeParse(catalog);
  let parsed = parsedCatalogs.get(catalog);
  if (!parsed) parsedCatalogs.set(catalog, (parsed = catalogSchema.safeParse(catalog)));
  return parsed;
}

/**
 * Migrates the graph document to the current version and parses it (unless `graphDocumentSchema` did), parses the
 * catalog, then walks nodes in topological order: each node's config is validated by its zod schema and its output
 * schema computed from its inputs'. A node whose input failed is skipped silently — the problem is reported once,
 * where it is.
 */
export function analyze(
  graph: unknown,
  catalog: unknown,
  context: Omit<NodeContext, 'catalog'> = {},
): Analyzed {
  let parsedGraph: ReturnType<typeof graphSchema.safeParse>;
  // A request's graph was checked by its route (`graphDocumentSchema`): validated once per request, not per use.
  if (isCheckedGraph(graph)) parsedGraph = { success: true, data: graph };
  else {
    const migrated = migrateGraph(graph);
    if (!migrated.ok) return { ok: false, issues: migrated.issues };
    parsedGraph = graphSchema.safeParse(migrated.graph);
  }
  const parsedCatalog = parseCatalog(catalog);
  if (!parsedGraph.success || !parsedCatalog.success) {
    return {
      ok: false,
      issues: [
        ...zodIssues(parsedGraph.error, 'INVALID_GRAPH', 'graph'),
        ...zodIssues(parsedCatalog.error, 'INVALID_CATALOG', 'catalog'),
      ],
    };
  }
  const structure = analyzeStructure(parsedGraph.data);
  const issues = [...structure.issues];
  const configs = new Map<string, unknown>();
  const schemas = new Map<string, Columns>();
  const nodeContext: NodeContext = { ...context, catalog: parsedCatalog.data };
  for (const id of structure.order) {
    const node = structure.nodes.get(id)!;
    const definition = NODE_TYPES.get(node.type)!;
    const config = definition.config.safeParse(node.data ?? {});
    if (!config.success) {
      issues.push(
        ...config.error.issues.map((i) =>
          issue(id, 'INVALID_CONFIG', `${node.type}: ${i.message}`, fieldPath(i.path)),
        ),
      );
      continue;
    }
    configs.set(id, config.data);
    const inputs = structure.inputs.get(id)!.map((input) => schemas.get(input));
    if (inputs.some((s) => s === undefined)) continue;
    const result = definition.propagate(inputs as Columns[], config.data, nodeContext);
    if (result.ok) schemas.set(id, result.value);
    else issues.push(...result.issues.map((i) => ({ nodeId: id, ...i })));
  }
  return { ok: true, analysis: { structure, catalog: parsedCatalog.data, configs, schemas, issues } };
}

function zodIssues(
  error: z.ZodError | undefined,
  code: 'INVALID_GRAPH' | 'INVALID_CATALOG',
  root: string,
): WorkflowIssue[] {
  return (error?.issues ?? []).map((i) => issue('', code, `${root}: ${i.message}`, fieldPath(i.path)));
}

/** The store a data_source node reads, if it is one with a valid config and a known table. */
export function sourceStore(analysis: Analysis, id: string): Store | undefined {
  if (analysis.structure.nodes.get(id)?.type !== 'data_source') return undefined;
  const config = analysis.configs.get(id) as { database: string; table: string } | undefined;
  return config && findTable(analysis.catalog, config.database, config.table)?.store;
}
