import {
  NODE_TYPES,
  propagate,
  scanColumns,
  upstream,
  type Column,
  type Graph,
  type GraphEdge,
  type GraphNode,
} from '../workflow/index.ts';
import { ApiError } from '../errors.ts';
import type { GlobalFilters } from '../ports/metadata-store.ts';

/** A dashboard global filter by what it narrows: the date range or the symbol list. */
export type FilterName = 'date' | 'symbols';

export interface ViewOptions {
  /** Dashboard global filters, applied at every scan on its first date/datetime column and its `symbol` column. */
  filters?: GlobalFilters;
  /** View-only sort (table pages): never saved into the workflow. */
  sort?: { column: string; direction: 'ASC' | 'DESC' }[];
  /** Table paging: wraps the result in a table_view node so the engine applies LIMIT/OFFSET and its 10 000-row cap. */
  page?: { page: number; pageSize: number };
}

const isTerminal = (node: GraphNode | undefined) =>
  node !== undefined && NODE_TYPES.get(node.type)?.terminal === true;
// Ids of nodes we add carry a prefix a saved canvas cannot produce by accident; they never leave the request.
const VIEW = '__view';

function graphNode(id: string, type: string, data: unknown): GraphNode {
  return { id, type, position: { x: 0, y: 0 }, data };
}

/**
 * Global filters go right after every data source the target reads, below every user node (like the tenant ACL), so
 * a Group By → KPI changes with the symbol picked even though its output has no `symbol` column. A filter that no
 * scanned table can take (no date column, no `symbol`) is reported back instead of failing the widget.
 */
function filterSources(
  graph: Graph,
  target: string,
  filters: GlobalFilters,
  catalog: unknown,
): { graph: Graph; target: string; unapplied: FilterName[] } {
  const requested: FilterName[] = [
    ...(filters.date_from || filters.date_to ? (['date'] as const) : []),
    ...(filters.symbols ? (['symbols'] as const) : []),
  ];
  if (requested.length === 0) return { graph, target, unapplied: [] };
  const reads = upstream(target, (id) => graph.edges.filter((e) => e.target === id).map((e) => e.source));
  const schemas = propagate(graph, catalog).schemas;
  const nodes = [...graph.nodes];
  let edges: GraphEdge[] = [...graph.edges];
  let newTarget = target;
  const applied = new Set<FilterName>();
  for (const source of graph.nodes.filter((n) => n.type === 'data_source' && reads.has(n.id))) {
    const schema: Column[] = schemas[source.id] ?? [];
    const conditions: unknown[] = [];
    const { time } = scanColumns(schema);
    if (time && filters.date_from) conditions.push({ column: time.name, op: '>=', value: filters.date_from });
    if (time && filters.date_to) conditions.push({ column: time.name, op: '<=', value: filters.date_to });
    if (time && (filters.date_from || filters.date_to)) applied.add('date');
    if (filters.symbols && schema.some((c) => c.name === 'symbol')) {
      conditions.push({ column: 'symbol', op: 'IN', value: filters.symbols });
      applied.add('symbols');
    }
    if (conditions.length === 0) continue;
    const id = `${VIEW}_filter_${source.id}`;
    nodes.push(graphNode(id, 'filter', { logic: 'AND', conditions }));
    // Every reader of the source now reads the filtered rows instead.
    edges = edges.map((e) => (e.source === source.id ? { ...e, source: id } : e));
    edges.push({ id: `${VIEW}_${source.id}_${id}`, source: source.id, target: id });
    if (source.id === target) newTarget = id;
  }
  return {
    graph: { nodes, edges },
    target: newTarget,
    unapplied: requested.filter((f) => !applied.has(f)),
  };
}

/**
 * Adds the request's view (global filters at the scans, a view-only sort, a page) as ordinary engine nodes, so the
 * ONE compiler does the SQL: identifiers checked against the propagated schema, values escaped by the dialect.
 * Returns the graph, the node to compile and the filters no scanned table could take. Sort and page go after the
 * target, or right above a terminal target (a chart shapes its input).
 */
export function applyView(
  input: Graph,
  inputTarget: string,
  view: ViewOptions,
  catalog: unknown,
): { graph: Graph; target: string; unapplied: FilterName[] } {
  const filtered = filterSources(input, inputTarget, view.filters ?? {}, catalog);
  const { graph, target, unapplied } = filtered;
  if (!view.sort && !view.page) return filtered;

  const targetNode = graph.nodes.find((n) => n.id === target);
  if (!targetNode) return filtered;
  const nodes = [...graph.nodes];
  let edges = [...graph.edges];

  // Where the view attaches: after the target, or between a terminal target and its single input.
  let anchor = target;
  let reattach: GraphNode | undefined;
  if (isTerminal(targetNode)) {
    const incoming = edges.filter((e) => e.target === target);
    if (incoming.length !== 1) return filtered;
    if (view.page && targetNode.type !== 'table_view') {
      throw new ApiError(
        422,
        'not_tabular',
        `Node "${target}" is a ${targetNode.type}: table pages need a data node or a table_view`,
      );
    }
    anchor = incoming[0]!.source;
    edges = edges.filter((e) => e !== incoming[0]);
    reattach = view.page ? undefined : targetNode;
    if (view.page) nodes.splice(nodes.indexOf(targetNode), 1);
  }

  const chain: GraphNode[] = [];
  if (view.sort?.length) chain.push(graphNode(`${VIEW}_sort`, 'sort', { sorts: view.sort }));
  if (view.page)
    chain.push(
      graphNode(`${VIEW}_page`, 'table_view', { page: view.page.page, page_size: view.page.pageSize }),
    );
  if (reattach) chain.push(reattach);

  let from = anchor;
  for (const n of chain) {
    if (n !== reattach) nodes.push(n);
    edges.push({ id: `${VIEW}_${from}_${n.id}`, source: from, target: n.id });
    from = n.id;
  }
  return { graph: { nodes, edges }, target: from, unapplied };
}
