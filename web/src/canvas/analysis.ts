import { createContext, createElement, useContext, useMemo, type ReactNode } from 'react';
import {
  fillFreeHandles,
  propagate,
  type Catalog,
  type Column,
  type WorkflowIssue,
} from '@flowforge/edge/workflow';
import { nodeKind } from './node-catalog.ts';
import { useCanvas, useCanvasStoreApi } from './store-context.tsx';
import type { WorkflowGraph } from './graph.ts';

/** What the engine says about the canvas: every node's output schema and every problem, computed once per edit. */
export interface CanvasAnalysis {
  schemas: ReadonlyMap<string, Column[]>;
  issues: ReadonlyMap<string, WorkflowIssue[]>;
  /** Problems that belong to no node (e.g. the catalog is not loaded). */
  graphIssues: WorkflowIssue[];
}

const EMPTY: CanvasAnalysis = { schemas: new Map(), issues: new Map(), graphIssues: [] };
const AnalysisContext = createContext<CanvasAnalysis>(EMPTY);

export function analyze(graph: WorkflowGraph, catalog: Catalog): CanvasAnalysis {
  const result = propagate(graph, catalog);
  const issues = new Map<string, WorkflowIssue[]>();
  const graphIssues: WorkflowIssue[] = [];
  for (const i of result.errors) {
    if (i.nodeId === '') graphIssues.push(i);
    else issues.set(i.nodeId, [...(issues.get(i.nodeId) ?? []), i]);
  }
  return { schemas: new Map(Object.entries(result.schemas)), issues, graphIssues };
}

/** Recomputes only when types, configs or wiring change: dragging a node must not re-run propagation. */
export function AnalysisProvider({
  catalog,
  children,
}: {
  catalog: Catalog | undefined;
  children: ReactNode;
}) {
  const shape = useCanvas((s) =>
    JSON.stringify([
      s.nodes.map((n) => [n.id, n.type, n.data]),
      s.edges.map((e) => [e.source, e.target, e.targetHandle]),
    ]),
  );
  const store = useCanvasStoreApi();
  // `shape` is the graph minus positions and selection: the memo reads the store only when it changes.
  const value = useMemo(
    () => (catalog ? analyze(store.getState().graph(), catalog) : EMPTY),
    [shape, catalog, store],
  );
  return createElement(AnalysisContext.Provider, { value }, children);
}

export function useAnalysis(): CanvasAnalysis {
  return useContext(AnalysisContext);
}

export function useNodeAnalysis(nodeId: string): { issues: WorkflowIssue[]; columns: Column[] | undefined } {
  const analysis = useAnalysis();
  return { issues: analysis.issues.get(nodeId) ?? [], columns: analysis.schemas.get(nodeId) };
}

/** The columns flowing into a node, per input handle (`in` for single-input nodes, `left`/`right` for joins). */
export function useNodeInputs(nodeId: string): Record<string, Column[]> {
  const analysis = useAnalysis();
  const incoming = useCanvas((s) => s.edges.filter((e) => e.target === nodeId));
  const type = useCanvas((s) => s.nodes.find((n) => n.id === nodeId)?.type);
  const shape = type ? nodeKind(type).inputs : undefined;
  const named = incoming.filter((e) => e.targetHandle);
  const unnamed = incoming.filter((e) => !e.targetHandle);
  // The engine's rule: on a node with named inputs, an edge without a handle takes the next free one.
  const sources: [string, string][] = [
    ...named.map((e): [string, string] => [e.targetHandle!, e.source]),
    ...(shape?.kind === 'handles'
      ? fillFreeHandles(shape.handles, new Set(named.map((e) => e.targetHandle!)), unnamed).filled.map(
          ([handle, e]): [string, string] => [handle, e.source],
        )
      : unnamed.map((e): [string, string] => ['in', e.source])),
  ];
  const inputs: Record<string, Column[]> = {};
  for (const [handle, source] of sources) {
    const columns = analysis.schemas.get(source);
    if (columns) inputs[handle] = columns;
  }
  return inputs;
}
