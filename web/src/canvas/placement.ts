import type { CanvasNode } from './graph.ts';

/** A node's footprint as the layout assumes it (FlowNode is 176–240 px wide, ~70 px tall). */
const NODE_WIDTH = 240;
const NODE_HEIGHT = 80;
/** How far right of its input a downstream node lands: one auto-layout column. */
export const DOWNSTREAM_STEP = 260;
const ROW_STEP = 100;

function overlaps(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  return Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT;
}

/** `wanted`, or the first spot below it that no node covers: a new node never lands on top of another. */
export function freeSpot(
  nodes: readonly CanvasNode[],
  wanted: { x: number; y: number },
): { x: number; y: number } {
  for (let row = 0; ; row++) {
    const spot = { x: wanted.x, y: wanted.y + row * ROW_STEP };
    if (!nodes.some((n) => overlaps(n.position, spot))) return spot;
  }
}

/** Where a node added after `from` goes: one column to its right, at its height unless that is taken. */
export function downstreamSpot(nodes: readonly CanvasNode[], from: CanvasNode): { x: number; y: number } {
  return freeSpot(nodes, { x: from.position.x + DOWNSTREAM_STEP, y: from.position.y });
}
