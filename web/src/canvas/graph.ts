import { GRAPH_VERSION, migrateGraph, upstream } from '@flowforge/edge/workflow';
import type { Edge, Node } from '@xyflow/react';

/** The saved/compiled form of a canvas: React Flow's JSON minus runtime state (selection, measurements, drags). */
export interface WorkflowGraph {
  /** Graph document version; the engine migrates older documents on load. */
  version?: number;
  nodes: { id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown> }[];
  edges: {
    id: string;
    source: string;
    target: string;
    sourceHandle?: string | null;
    targetHandle?: string | null;
  }[];
}

export type CanvasNode = Node<Record<string, unknown>>;

export function toGraph(nodes: readonly CanvasNode[], edges: readonly Edge[]): WorkflowGraph {
  return {
    version: GRAPH_VERSION,
    nodes: nodes.map((n) => ({ id: n.id, type: n.type ?? '', position: { ...n.position }, data: n.data })),
    edges: edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      ...(e.sourceHandle ? { sourceHandle: e.sourceHandle } : {}),
      ...(e.targetHandle ? { targetHandle: e.targetHandle } : {}),
    })),
  };
}

/**
 * A saved document as the canvas may edit it: migrated to the current version (the API migrates on read too, but a
 * cached or restored document may be older), or refused with the engine's message when a newer build wrote it.
 */
export function readSavedGraph(
  document: unknown,
): { ok: true; graph: WorkflowGraph } | { ok: false; message: string } {
  const migrated = migrateGraph(document);
  return migrated.ok
    ? { ok: true, graph: migrated.graph as WorkflowGraph }
    : { ok: false, message: migrated.issues.map((i) => i.message).join('; ') };
}

export function fromGraph(graph: WorkflowGraph): { nodes: CanvasNode[]; edges: Edge[] } {
  return {
    nodes: graph.nodes.map((n) => ({ id: n.id, type: n.type, position: n.position, data: n.data })),
    edges: graph.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      sourceHandle: e.sourceHandle ?? null,
      targetHandle: e.targetHandle ?? null,
    })),
  };
}

/** Only the nodes that feed `targetId` (and it): what a preview of that node depends on. */
export function upstreamGraph(graph: WorkflowGraph, targetId: string): WorkflowGraph {
  const keep = upstream(targetId, (id) => graph.edges.filter((e) => e.target === id).map((e) => e.source));
  return {
    nodes: graph.nodes.filter((n) => keep.has(n.id)),
    edges: graph.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
  };
}
