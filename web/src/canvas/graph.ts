import { upstream } from '@flowforge/edge/workflow';
import type { Edge, Node } from '@xyflow/react';

/** The saved/compiled form of a canvas: React Flow's JSON minus runtime state (selection, measurements, drags). */
export interface WorkflowGraph {
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
