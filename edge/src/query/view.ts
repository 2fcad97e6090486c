import { NODE_TYPES, propagate, type Column, type Graph, type GraphNode } from '../workflow/index.ts';
import { ApiError } from '../errors.ts';
import type { GlobalFilters } from '../ports/metadata-store.ts';

export interface ViewOptions {
  /** Dashboard global filters, applied on the first datetime column and the `symbol` column. */
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
 * Adds the request's view (global filters, a view-only sort, a page) as ordinary engine nodes around the target, so the
 * ONE compiler does the SQL: identifiers checked against the propagated schema, values escaped by the dialect.
 * Returns the graph and the node to compile. Filters go right above a terminal target (a chart shapes its input).
 */
export function applyView(
  graph: Graph,
  target: string,
  view: ViewOptions,
  catalog: unknown,
): { graph: Graph; target: string } {
  const hasFilters = view.filters && (view.filters.date_from || view.filters.date_to || view.filters.symbols);
  if (!hasFilters && !view.sort && !view.page) return { graph, target };

  const targetNode = graph.nodes.find((n) => n.id === target);
  if (!targetNode) return { graph, target };
  const nodes = [...graph.nodes];
  let edges = [...graph.edges];

  // Where the view attaches: after the target, or between a terminal target and its single input.
  let anchor = target;
  let reattach: GraphNode | undefined;
  if (isTerminal(targetNode)) {
    const incoming = edges.filter((e) => e.target === target);
    if (incoming.length !== 1) return { graph, target };
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
  if (hasFilters) {
    const schema: Column[] = propagate(graph, catalog).schemas[anchor] ?? [];
    const conditions: unknown[] = [];
    const time = schema.find((c) => c.type === 'datetime' || c.type === 'date');
    if (time && view.filters!.date_from)
      conditions.push({ column: time.name, op: '>=', value: view.filters!.date_from });
    if (time && view.filters!.date_to)
      conditions.push({ column: time.name, op: '<=', value: view.filters!.date_to });
    if (view.filters!.symbols && schema.some((c) => c.name === 'symbol')) {
      conditions.push({ column: 'symbol', op: 'IN', value: view.filters!.symbols });
    }
    if (conditions.length > 0)
      chain.push(graphNode(`${VIEW}_filter`, 'filter', { logic: 'AND', conditions }));
  }
  if (view.sort?.length) chain.push(graphNode(`${VIEW}_sort`, 'sort', { sorts: view.sort }));
  if (view.page)
    chain.push(
      graphNode(`${VIEW}_page`, 'table_view', { page: view.page.page, page_size: view.page.pageSize }),
    );
  if (reattach) chain.push(reattach);
  if (chain.length === 0) return { graph, target };

  let from = anchor;
  for (const n of chain) {
    if (n !== reattach) nodes.push(n);
    edges.push({ id: `${VIEW}_${from}_${n.id}`, source: from, target: n.id });
    from = n.id;
  }
  return { graph: { nodes, edges }, target: from };
}
