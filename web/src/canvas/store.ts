import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { createStore } from 'zustand/vanilla';
import { checkConnection, type ConnectionCheck } from './connect.ts';
import { fromGraph, readSavedGraph, toGraph, type CanvasNode, type WorkflowGraph } from './graph.ts';
import { layeredLayout } from './layout.ts';
import { nodeKind } from './node-catalog.ts';
import { downstreamSpot } from './placement.ts';

export const HISTORY_LIMIT = 100;

interface Snapshot {
  nodes: CanvasNode[];
  edges: Edge[];
}

/**
 * The edge that comes with a node added in one gesture: `source` (the new node follows it) or `target` (the new node
 * feeds that node's `targetHandle`).
 */
export type NodeLink = { source: string } | { target: string; targetHandle: string | null };

export interface WorkflowMeta {
  id?: string;
  name: string;
  version?: number;
}

export interface CanvasState {
  workflow: WorkflowMeta;
  nodes: CanvasNode[];
  edges: Edge[];
  /** The node whose preview and config are shown. */
  activeNodeId: string | null;
  past: Snapshot[];
  future: Snapshot[];
  /** Edits since the last save/load. */
  dirty: boolean;
  /** Why the last connection attempt was refused, for a toast. */
  refusal: string | null;
  /** Bumped when the whole graph moves (a load, an auto-layout): the canvas then fits it into view. */
  viewRevision: number;

  /**
   * Opens a saved document (migrated to the current graph version); a document it cannot read returns its message.
   * `activeNodeId` opens that node selected (a dashboard's "open in canvas").
   */
  load(
    workflow: WorkflowMeta,
    document: unknown,
    activeNodeId?: string | null,
  ): { ok: true } | { ok: false; message: string };
  rename(name: string): void;
  markSaved(meta: WorkflowMeta): void;
  onNodesChange(changes: NodeChange<CanvasNode>[]): void;
  onEdgesChange(changes: EdgeChange[]): void;
  connect(connection: Connection): ConnectionCheck;
  /** Adds a node (selected); with `link`, connected in the same undo step — a refused edge leaves it unconnected. */
  addNode(type: string, position: { x: number; y: number }, link?: NodeLink): string;
  /**
   * Adds `type` downstream of the active node and connects it, at `position` (a drop) or one column to its right;
   * `null` when there is no active node or it cannot feed a `type` (then the caller places the node on its own).
   */
  addAfterActive(type: string, position?: { x: number; y: number }): string | null;
  /** Replaces a node's config. Consecutive edits with the same `coalesceKey` form one undo step (typing). */
  updateNodeData(id: string, data: Record<string, unknown>, coalesceKey?: string): void;
  setActiveNode(id: string | null): void;
  deleteSelected(): void;
  duplicateSelected(): void;
  selectAll(): void;
  autoLayout(): void;
  undo(): void;
  redo(): void;
  graph(): WorkflowGraph;
  dismissRefusal(): void;
}

/** A Join's first input is `left`; single- and many-input nodes have one unnamed target handle. */
function firstInputHandle(type: string): string | null {
  const inputs = nodeKind(type).inputs;
  return inputs.kind === 'handles' ? (inputs.handles[0] ?? null) : null;
}

function canFollow(fromType: string, type: string): boolean {
  return !nodeKind(fromType).terminal && nodeKind(type).inputs.kind !== 'none';
}

let idCounter = 0;
/** Ids must stay unique across reloads of a saved graph, so they carry time and a counter. */
export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${(idCounter++).toString(36)}`;
}

export function createCanvasStore(initial?: { workflow?: WorkflowMeta; graph?: WorkflowGraph }) {
  let lastCoalesceKey: string | undefined;
  let dragSnapshotTaken = false;

  return createStore<CanvasState>()((set, get) => {
    /** Records the current graph as an undo step, then applies `change`: the one way graph edits enter history. */
    const commit = (change: (s: CanvasState) => Partial<CanvasState>, coalesceKey?: string) => {
      const state = get();
      const coalesce = coalesceKey !== undefined && coalesceKey === lastCoalesceKey;
      lastCoalesceKey = coalesceKey;
      const past = coalesce
        ? state.past
        : [...state.past, { nodes: state.nodes, edges: state.edges }].slice(-HISTORY_LIMIT);
      set({ ...change(state), past, future: [], dirty: true });
    };

    const graph = initial?.graph ? fromGraph(initial.graph) : { nodes: [], edges: [] };
    return {
      workflow: initial?.workflow ?? { name: 'Untitled workflow' },
      nodes: graph.nodes,
      edges: graph.edges,
      activeNodeId: null,
      past: [],
      future: [],
      dirty: false,
      refusal: null,
      viewRevision: 0,

      load(workflow, document, activeNodeId = null) {
        const saved = readSavedGraph(document);
        if (!saved.ok) return saved;
        const { nodes, edges } = fromGraph(saved.graph);
        const active = nodes.some((n) => n.id === activeNodeId) ? activeNodeId : null;
        lastCoalesceKey = undefined;
        set({
          workflow,
          nodes: active ? nodes.map((n) => (n.id === active ? { ...n, selected: true } : n)) : nodes,
          edges,
          past: [],
          future: [],
          dirty: false,
          activeNodeId: active,
          refusal: null,
          viewRevision: get().viewRevision + 1,
        });
        return { ok: true };
      },
      rename(name) {
        set((s) => ({ workflow: { ...s.workflow, name }, dirty: true }));
      },
      markSaved(meta) {
        set({ workflow: meta, dirty: false });
      },

      onNodesChange(changes) {
        const meaningful = changes.filter((c) => c.type !== 'select' && c.type !== 'dimensions');
        const dragging = changes.some((c) => c.type === 'position' && c.dragging);
        if (meaningful.length === 0 || (dragging && dragSnapshotTaken)) {
          // Selection, measurement and the middle of a drag are not undo steps.
          set((s) => ({ nodes: applyNodeChanges(changes, s.nodes) }));
        } else {
          commit((s) => ({ nodes: applyNodeChanges(changes, s.nodes) }));
          dragSnapshotTaken = dragging;
        }
        if (!dragging) dragSnapshotTaken = false;
        const removed = new Set(changes.flatMap((c) => (c.type === 'remove' ? [c.id] : [])));
        if (removed.size > 0) {
          set((s) => ({
            edges: s.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)),
            activeNodeId: s.activeNodeId && removed.has(s.activeNodeId) ? null : s.activeNodeId,
          }));
        }
      },
      onEdgesChange(changes) {
        if (changes.every((c) => c.type === 'select')) {
          set((s) => ({ edges: applyEdgeChanges(changes, s.edges) }));
        } else {
          commit((s) => ({ edges: applyEdgeChanges(changes, s.edges) }));
        }
      },
      connect(connection) {
        const { nodes, edges } = get();
        const check = checkConnection(nodes, edges, connection);
        if (!check.ok) {
          set({ refusal: check.reason });
          return check;
        }
        commit((s) => ({ edges: addEdge({ ...connection, id: newId('e') }, s.edges), refusal: null }));
        return check;
      },
      addNode(type, position, link) {
        const id = newId(type);
        const node: CanvasNode = { id, type, position, data: nodeKind(type).defaults(), selected: true };
        const nodes = [...get().nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node];
        const connection: Connection | null = !link
          ? null
          : 'source' in link
            ? { source: link.source, target: id, sourceHandle: null, targetHandle: firstInputHandle(type) }
            : { source: id, target: link.target, sourceHandle: null, targetHandle: link.targetHandle };
        const check = connection ? checkConnection(nodes, get().edges, connection) : null;
        commit((s) => ({
          nodes,
          edges: connection && check?.ok ? addEdge({ ...connection, id: newId('e') }, s.edges) : s.edges,
          activeNodeId: id,
          refusal: check && !check.ok ? check.reason : null,
        }));
        return id;
      },
      addAfterActive(type, position) {
        const { nodes, activeNodeId } = get();
        const from = nodes.find((n) => n.id === activeNodeId);
        if (!from || !canFollow(from.type ?? '', type)) return null;
        return get().addNode(type, position ?? downstreamSpot(nodes, from), { source: from.id });
      },
      updateNodeData(id, data, coalesceKey) {
        commit(
          (s) => ({ nodes: s.nodes.map((n) => (n.id === id ? { ...n, data } : n)) }),
          coalesceKey && `${id}:${coalesceKey}`,
        );
      },
      setActiveNode(id) {
        set({ activeNodeId: id });
      },
      deleteSelected() {
        const { nodes, edges } = get();
        const doomed = new Set(nodes.filter((n) => n.selected).map((n) => n.id));
        if (doomed.size === 0 && !edges.some((e) => e.selected)) return;
        commit((s) => ({
          nodes: s.nodes.filter((n) => !doomed.has(n.id)),
          edges: s.edges.filter((e) => !e.selected && !doomed.has(e.source) && !doomed.has(e.target)),
          activeNodeId: s.activeNodeId && doomed.has(s.activeNodeId) ? null : s.activeNodeId,
        }));
      },
      duplicateSelected() {
        const selected = get().nodes.filter((n) => n.selected);
        if (selected.length === 0) return;
        const copies = new Map(selected.map((n) => [n.id, newId(n.type ?? 'node')]));
        commit((s) => ({
          nodes: [
            ...s.nodes.map((n) => ({ ...n, selected: false })),
            ...selected.map((n) => ({
              ...n,
              id: copies.get(n.id)!,
              position: { x: n.position.x + 40, y: n.position.y + 40 },
              data: structuredClone(n.data),
              selected: true,
            })),
          ],
          // Edges between duplicated nodes come along, so a copied sub-pipeline stays wired.
          edges: [
            ...s.edges,
            ...s.edges
              .filter((e) => copies.has(e.source) && copies.has(e.target))
              .map((e) => ({
                ...e,
                id: newId('e'),
                source: copies.get(e.source)!,
                target: copies.get(e.target)!,
                selected: false,
              })),
          ],
        }));
      },
      selectAll() {
        set((s) => ({ nodes: s.nodes.map((n) => ({ ...n, selected: true })) }));
      },
      autoLayout() {
        commit((s) => ({ nodes: layeredLayout(s.nodes, s.edges), viewRevision: s.viewRevision + 1 }));
      },
      undo() {
        const { past, nodes, edges, future } = get();
        const previous = past.at(-1);
        if (!previous) return;
        lastCoalesceKey = undefined;
        set({ ...previous, past: past.slice(0, -1), future: [{ nodes, edges }, ...future], dirty: true });
      },
      redo() {
        const { past, nodes, edges, future } = get();
        const next = future[0];
        if (!next) return;
        lastCoalesceKey = undefined;
        set({ ...next, past: [...past, { nodes, edges }], future: future.slice(1), dirty: true });
      },
      graph() {
        return toGraph(get().nodes, get().edges);
      },
      dismissRefusal() {
        set({ refusal: null });
      },
    };
  });
}

export type CanvasStore = ReturnType<typeof createCanvasStore>;
