import type { Connection, Edge, Node } from '@xyflow/react';
import { upstream } from '@flowforge/edge/workflow';
import { nodeKind } from './node-catalog.ts';

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

/**
 * Refuses, with a reason the user can act on, the connections the engine would reject anyway: the canvas should never
 * let a user draw a graph whose shape (not config) is wrong.
 */
export function checkConnection(
  nodes: readonly Node[],
  edges: readonly Edge[],
  c: Connection,
): ConnectionCheck {
  const source = nodes.find((n) => n.id === c.source);
  const target = nodes.find((n) => n.id === c.target);
  if (!source || !target) return { ok: false, reason: 'Both ends must be nodes on the canvas' };
  if (source.id === target.id) return { ok: false, reason: 'A node cannot connect to itself' };
  const from = nodeKind(source.type ?? '');
  const to = nodeKind(target.type ?? '');
  if (from.terminal) return { ok: false, reason: `${from.label} is an output: nothing can follow it` };
  if (to.inputs.kind === 'none')
    return { ok: false, reason: `${to.label} reads from the catalog and takes no input` };
  const incoming = edges.filter((e) => e.target === target.id);
  if (incoming.some((e) => e.source === source.id && (e.targetHandle ?? null) === (c.targetHandle ?? null))) {
    return { ok: false, reason: 'These nodes are already connected' };
  }
  if (to.inputs.kind === 'one' && incoming.length > 0) {
    return { ok: false, reason: `${to.label} already has an input: delete that connection first` };
  }
  if (to.inputs.kind === 'handles') {
    const handles = to.inputs.handles;
    if (!c.targetHandle || !handles.includes(c.targetHandle)) {
      return { ok: false, reason: `Connect to the ${to.label}’s ${handles.join(' or ')} input` };
    }
    if (incoming.some((e) => e.targetHandle === c.targetHandle)) {
      return { ok: false, reason: `The ${to.label}’s ${c.targetHandle} input is already connected` };
    }
  }
  // The new edge closes a cycle when the target already feeds the source.
  const feedsSource = upstream(source.id, (id) => edges.filter((e) => e.target === id).map((e) => e.source));
  if (feedsSource.has(target.id)) return { ok: false, reason: 'This connection would create a cycle' };
  return { ok: true };
}
