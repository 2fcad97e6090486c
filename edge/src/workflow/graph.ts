import { didYouMean, issue, type WorkflowIssue } from './errors.ts';
import { NODE_TYPES } from './nodes/index.ts';
import type { Graph, GraphEdge, GraphNode } from './schema.ts';

/** The graph's structure after the checks that need no catalog: known nodes, ordered inputs, topological order. */
export interface GraphStructure {
  nodes: ReadonlyMap<string, GraphNode>;
  /** Node id → input node ids, in handle order (join: left, right) or edge order. */
  inputs: ReadonlyMap<string, string[]>;
  /** Nodes whose inputs are well-formed and acyclic, every node after its inputs (ties keep the graph's order). */
  order: string[];
  issues: WorkflowIssue[];
}

export function analyzeStructure(graph: Graph): GraphStructure {
  const issues: WorkflowIssue[] = [];
  const nodes = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    if (nodes.has(node.id)) {
      issues.push(issue(node.id, 'DUPLICATE_NODE_ID', `Two nodes share the id "${node.id}"`));
      continue;
    }
    if (!NODE_TYPES.has(node.type))
      issues.push(
        issue(
          node.id,
          'UNKNOWN_NODE_TYPE',
          `Unknown node type "${node.type}".${didYouMean(node.type, [...NODE_TYPES.keys()])}`,
          'type',
        ),
      );
    nodes.set(node.id, node);
  }

  const incoming = new Map<string, GraphEdge[]>();
  for (const edge of graph.edges) {
    const missing = [edge.source, edge.target].filter((id) => !nodes.has(id));
    if (missing.length > 0) {
      const anchor = nodes.has(edge.target) ? edge.target : nodes.has(edge.source) ? edge.source : '';
      issues.push(
        issue(
          anchor,
          'DANGLING_EDGE',
          `Edge "${edge.id}" points at missing node${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(' and ')}`,
        ),
      );
      continue;
    }
    const source = NODE_TYPES.get(nodes.get(edge.source)!.type);
    if (source?.terminal) {
      issues.push(
        issue(
          edge.source,
          'TERMINAL_NODE_HAS_OUTPUT',
          `A ${nodes.get(edge.source)!.type} node ends a pipeline; nothing can read from it (edge "${edge.id}")`,
        ),
      );
      continue;
    }
    const into = incoming.get(edge.target);
    if (into) into.push(edge);
    else incoming.set(edge.target, [edge]);
  }

  const inputs = new Map<string, string[]>();
  for (const [id, node] of nodes) {
    const resolved = resolveInputs(id, node.type, incoming.get(id) ?? [], issues);
    if (resolved) inputs.set(id, resolved);
  }
  const order = topologicalOrder(inputs, issues);
  return { nodes, inputs, order, issues };
}

function resolveInputs(
  id: string,
  type: string,
  edges: readonly GraphEdge[],
  issues: WorkflowIssue[],
): string[] | undefined {
  const definition = NODE_TYPES.get(type);
  if (!definition) return undefined;
  const shape = definition.inputs;
  const fail = (
    code: 'MISSING_INPUT' | 'DUPLICATE_INPUT' | 'UNEXPECTED_INPUT',
    message: string,
    field?: string,
  ) => {
    issues.push(issue(id, code, message, field));
    return undefined;
  };
  switch (shape.kind) {
    case 'none':
      return edges.length === 0
        ? []
        : fail('UNEXPECTED_INPUT', `A ${type} node takes no input, but ${edges.length} edge(s) lead into it`);
    case 'one':
      if (edges.length === 0) return fail('MISSING_INPUT', `A ${type} node needs one input`);
      return edges.length === 1
        ? [edges[0]!.source]
        : fail('DUPLICATE_INPUT', `A ${type} node takes one input, but ${edges.length} edges lead into it`);
    case 'many':
      return edges.length > 0
        ? edges.map((e) => e.source)
        : fail('MISSING_INPUT', `A ${type} node needs at least one input`);
    case 'handles': {
      // Edges name their handle; edges without one fill the remaining handles in edge order.
      const byHandle = new Map<string, string>();
      const unnamed: GraphEdge[] = [];
      for (const edge of edges) {
        const handle = edge.targetHandle ?? undefined;
        if (handle === undefined) unnamed.push(edge);
        else if (!shape.handles.includes(handle))
          return fail(
            'UNEXPECTED_INPUT',
            `Unknown input handle "${handle}"; expected ${shape.handles.join(' or ')}`,
            handle,
          );
        else if (byHandle.has(handle))
          return fail('DUPLICATE_INPUT', `Two edges lead into the "${handle}" input`, handle);
        else byHandle.set(handle, edge.source);
      }
      const { filled, extra } = fillFreeHandles(shape.handles, new Set(byHandle.keys()), unnamed);
      for (const [handle, edge] of filled) byHandle.set(handle, edge.source);
      if (extra.length > 0)
        return fail(
          'DUPLICATE_INPUT',
          `A ${type} node takes ${shape.handles.length} inputs, but ${edges.length} edges lead into it`,
        );
      const missing = shape.handles.filter((h) => !byHandle.has(h));
      if (missing.length > 0) return fail('MISSING_INPUT', `Missing the "${missing[0]}" input`, missing[0]);
      return shape.handles.map((h) => byHandle.get(h)!);
    }
  }
}

/**
 * Edges that name no input handle take the handles still free, in edge order (a graph written by hand or by a
 * template may leave a join's left edge unnamed); `extra` are the edges left over. The canvas uses the same rule to
 * show a join's panel the columns of each side.
 */
export function fillFreeHandles<E>(
  handles: readonly string[],
  taken: ReadonlySet<string>,
  unnamed: readonly E[],
): { filled: [string, E][]; extra: E[] } {
  const free = handles.filter((h) => !taken.has(h));
  return {
    filled: free.slice(0, unnamed.length).map((h, i) => [h, unnamed[i]!]),
    extra: unnamed.slice(free.length),
  };
}

/**
 * Kahn's algorithm over well-formed nodes, linear in nodes + edges; of the nodes left over, those that sit on a cycle
 * are reported.
 *
 * The order is the one of sweeping the node list again and again, taking every node whose inputs are taken (what
 * saved graphs, snapshots and per-node listings have always shown), without the sweeps: a sweep per node made a
 * chain listed against its edges quadratic. A node is taken on sweep max(its inputs' sweeps, +1 for an input listed
 * after it), and the order is by sweep, then by place in the list.
 */
function topologicalOrder(inputs: ReadonlyMap<string, readonly string[]>, issues: WorkflowIssue[]): string[] {
  const place = new Map<string, number>();
  const waiting = new Map<string, number>();
  const readers = new Map<string, string[]>();
  const ready: string[] = [];
  for (const [id, ins] of inputs) {
    place.set(id, place.size);
    waiting.set(id, ins.length);
    if (ins.length === 0) ready.push(id);
    for (const input of ins) {
      const known = readers.get(input);
      if (known) known.push(id);
      else readers.set(input, [id]);
    }
  }
  const sweep = new Map<string, number>();
  let sweeps = 1;
  // `ready` grows while it is read: every node once, when its last input was taken.
  for (let next = 0; next < ready.length; next++) {
    const id = ready[next]!;
    let taken = 0;
    for (const input of inputs.get(id)!)
      taken = Math.max(taken, sweep.get(input)! + (place.get(input)! > place.get(id)! ? 1 : 0));
    sweep.set(id, taken);
    sweeps = Math.max(sweeps, taken + 1);
    for (const reader of readers.get(id) ?? []) {
      const left = waiting.get(reader)! - 1;
      waiting.set(reader, left);
      if (left === 0) ready.push(reader);
    }
  }
  const bySweep: string[][] = Array.from({ length: sweeps }, () => []);
  for (const id of inputs.keys()) {
    const taken = sweep.get(id);
    if (taken !== undefined) bySweep[taken]!.push(id);
    else if (reaches(id, id, inputs)) issues.push(issue(id, 'CYCLE', `Node "${id}" is part of a cycle`));
  }
  return bySweep.flat();
}

function reaches(from: string, target: string, inputs: ReadonlyMap<string, readonly string[]>): boolean {
  const seen = new Set<string>();
  const stack = [...(inputs.get(from) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(inputs.get(id) ?? []));
  }
  return false;
}

/**
 * The target and every node it reads from, directly or not: what a node's result depends on. `inputsOf` lets the
 * compiler walk its analysed structure and the canvas walk raw React Flow edges with the same code.
 */
export function upstream(target: string, inputsOf: (id: string) => readonly string[]): Set<string> {
  const found = new Set<string>();
  const stack = [target];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    stack.push(...inputsOf(id));
  }
  return found;
}
