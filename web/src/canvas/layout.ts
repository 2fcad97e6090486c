import type { Edge } from '@xyflow/react';
import type { CanvasNode } from './graph.ts';

const COLUMN_WIDTH = 260;
const ROW_HEIGHT = 130;

/**
 * Left-to-right layered layout: a node's column is its longest distance from a source, rows keep the current vertical
 * order inside a column so the user's mental map survives the tidy-up.
 */
export function layeredLayout(nodes: readonly CanvasNode[], edges: readonly Edge[]): CanvasNode[] {
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle: the engine reports it; layout just must not loop
    visiting.add(id);
    const parents = edges.filter((e) => e.target === id).map((e) => depthOf(e.source));
    visiting.delete(id);
    const d = parents.length === 0 ? 0 : Math.max(...parents) + 1;
    depth.set(id, d);
    return d;
  };
  const columns = new Map<number, CanvasNode[]>();
  for (const node of nodes) {
    const d = depthOf(node.id);
    columns.set(d, [...(columns.get(d) ?? []), node]);
  }
  const placed = new Map<string, { x: number; y: number }>();
  for (const [d, column] of columns) {
    [...column]
      .sort((a, b) => a.position.y - b.position.y)
      .forEach((node, row) => placed.set(node.id, { x: d * COLUMN_WIDTH, y: row * ROW_HEIGHT }));
  }
  return nodes.map((n) => ({ ...n, position: placed.get(n.id)! }));
}
