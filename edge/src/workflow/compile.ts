import { analyze, sourceStore, type Analysis } from './analyze.ts';
import { upstream } from './graph.ts';
import { z } from 'zod';
import { DIALECT_BY_NAME, DIALECTS, STORE_DIALECT, type DialectName } from './dialects/index.ts';
import { issue, type WorkflowIssue } from './errors.ts';
import type { Rel } from './ir.ts';
import { planLookup } from './lookup.ts';
import { lowerNodes } from './lower.ts';
import { Merger } from './merge.ts';
import type { Acl, NodeContext } from './nodes/index.ts';
import { printQuery } from './print.ts';
import { fieldPath, type Store } from './schema.ts';
import { columnArray, type Columns } from './columns.ts';
import type { Column } from './types.ts';

export interface CompileOptions {
  /**
   * Tables the graph may read (see `catalogSchema`). Parsed once per array: pass the same array while the tables are
   * unchanged, and a new one (not a mutated one) when they change.
   */
  catalog: unknown;
  /** Defaults to the dialect of the store the graph reads from. */
  dialect?: DialectName;
  /** Row conditions applied at every scan (tenant symbol ACL, embed locks): see `scanColumns`. */
  acl?: Acl;
  /** Caps the final query's row count (the smaller of this and the graph's own limit wins). */
  limit?: number;
  /**
   * Answer the number of rows the target has instead of the rows: one row, one column `total` (the preview's total
   * row count). A sort at the top is dropped, since order does not change a count and sorting 655 k rows would.
   */
  count?: boolean;
}

export interface CompiledNode {
  nodeId: string;
  sql: string;
  schema: Column[];
}

export interface CompileSuccess {
  ok: true;
  /** The query in the store's language: SQL, or for the redis store its lookup plan as JSON (`lookup.ts`). */
  sql: string;
  dialect: DialectName;
  store: Store;
  schema: Column[];
  /** Every node of the target's subgraph in topological order, each compiled as if it were the target (`sql` is
   * computed on first read). */
  perNode: CompiledNode[];
  warnings: string[];
}

export interface CompileFailure {
  ok: false;
  errors: WorkflowIssue[];
}

export type CompileResult = CompileSuccess | CompileFailure;

/**
 * Compiles the subgraph that ends at `targetNodeId` into one SQL query. Problems anywhere in that subgraph (not
 * elsewhere in the graph) come back as `{ ok: false, errors }`; nothing is thrown for bad input.
 */
export function compile(graph: unknown, targetNodeId: string, options: CompileOptions): CompileResult {
  // Options arrive from untyped callers too (JSON bodies, the CLI): check them like any other input.
  const checked = optionsSchema.safeParse(options);
  if (!checked.success)
    return {
      ok: false,
      errors: checked.error.issues.map((i) =>
        issue('', 'INVALID_VALUE', `compile options: ${i.message}`, fieldPath(i.path)),
      ),
    };
  const context: Omit<NodeContext, 'catalog'> = options.acl ? { acl: options.acl } : {};
  const analyzed = analyze(graph, options.catalog, context);
  if (!analyzed.ok) return { ok: false, errors: analyzed.issues };
  const { analysis } = analyzed;
  if (!analysis.structure.nodes.has(targetNodeId))
    return fail(issue(targetNodeId, 'UNKNOWN_TARGET', `No node with id "${targetNodeId}" in the graph`));

  // Includes nodes that failed structural checks, so their issues block this compile.
  const members = upstream(targetNodeId, (id) => analysis.structure.inputs.get(id) ?? []);
  const errors = analysis.issues.filter((i) => i.nodeId === '' || members.has(i.nodeId));
  const order = analysis.structure.order.filter((id) => members.has(id));
  const stores = storesOf(analysis, order);
  if (stores.size > 1) errors.push(...mixedStores(stores));
  if (errors.length > 0) return { ok: false, errors };

  const [store] = stores.keys();
  const dialectName = options.dialect ?? STORE_DIALECT[store!];
  const dialect = DIALECT_BY_NAME[dialectName];
  const warnings: string[] = [];
  if (STORE_DIALECT[store!] !== dialectName)
    warnings.push(`Compiled for ${dialectName}, but the tables live in ${store}`);

  const nodeContext: NodeContext = { ...context, catalog: analysis.catalog };
  // The redis store's plan is no SQL: nothing there runs date functions.
  const { rels, issues } = lowerNodes(analysis, order, nodeContext, () =>
    store === 'redis' ? undefined : dialect,
  );
  if (issues.length > 0) return { ok: false, errors: issues };
  for (const id of order) {
    const node = analysis.structure.nodes.get(id)!;
    if (node.type === 'sample' && (analysis.configs.get(id) as { seed?: number }).seed === undefined)
      warnings.push(`Node "${id}" samples without a seed: every run returns different rows`);
  }

  const merger = new Merger();
  const nodes: NodeOutputs = {
    schemaOf: (id) => analysis.schemas.get(id)!,
    sqlOf: (id) => printQuery(merger.query(rels.get(id)!), dialect),
  };
  const perNode = order.map((id) => new LazyNode(id, nodes));
  const target = rels.get(targetNodeId)!;
  const final: Rel = options.count
    ? countOf(target)
    : options.limit === undefined
      ? target
      : { kind: 'limit', input: target, limit: options.limit, offset: 0, schema: target.schema };
  let sql: string;
  if (store === 'redis') {
    const planned = planLookup(final);
    if (!planned.ok) return fail(issue(targetNodeId, 'INVALID_CONFIG', planned.message));
    sql = JSON.stringify(planned.plan);
  } else {
    sql = printQuery(merger.query(final), dialect);
  }
  return {
    ok: true,
    sql,
    dialect: dialectName,
    store: store!,
    schema: columnArray(target.schema),
    perNode,
    warnings,
  };
}

interface NodeOutputs {
  schemaOf(id: string): Columns;
  sqlOf(id: string): string;
}

/**
 * A node's SQL is merged and printed, and its schema made an array, only when read: the preview asks for one node,
 * JSON output reads all. Getters on the prototype, so a compile creates one small object per node.
 */
class LazyNode implements CompiledNode {
  private printed?: string;
  private columns?: Column[];

  constructor(
    readonly nodeId: string,
    private readonly outputs: NodeOutputs,
  ) {}

  get sql(): string {
    return (this.printed ??= this.outputs.sqlOf(this.nodeId));
  }

  get schema(): Column[] {
    return (this.columns ??= columnArray(this.outputs.schemaOf(this.nodeId)));
  }

  toJSON(): CompiledNode {
    return { nodeId: this.nodeId, sql: this.sql, schema: this.schema };
  }
}

const optionsSchema = z.object({
  dialect: z.enum(DIALECTS).optional(),
  acl: z
    .object({
      allowedSymbols: z.array(z.string()).optional(),
      timeFrom: z.string().optional(),
      timeTo: z.string().optional(),
    })
    .optional(),
  limit: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

const fail = (problem: WorkflowIssue): CompileFailure => ({ ok: false, errors: [problem] });

/** Store → the data_source nodes reading from it. */
function storesOf(analysis: Analysis, order: readonly string[]): Map<Store, string[]> {
  const stores = new Map<Store, string[]>();
  for (const id of order) {
    // An invalid config or an unknown table is already reported; it has no store to mix.
    const store = sourceStore(analysis, id);
    if (store === undefined) continue;
    stores.set(store, [...(stores.get(store) ?? []), id]);
  }
  return stores;
}

function mixedStores(stores: ReadonlyMap<Store, string[]>): WorkflowIssue[] {
  const summary = [...stores]
    .map(([store, ids]) => `${store} (${ids.map((id) => `"${id}"`).join(', ')})`)
    .join(' and ');
  const message = `This workflow reads from ${summary}; one query runs on one store, so combine tables from the same store`;
  return [...stores.values()].flat().map((id) => issue(id, 'MIXED_STORES', message));
}

const COUNT_COLUMN = 'total';

function countOf(rel: Rel): Rel {
  let input = rel;
  while (input.kind === 'sort') input = input.input;
  return {
    kind: 'aggregate',
    input,
    groupBy: [],
    aggregates: [{ name: COUNT_COLUMN, expr: { kind: 'agg', fn: 'count', arg: null, type: 'int64' } }],
    schema: [{ name: COUNT_COLUMN, type: 'int64', nullable: false }],
  };
}
