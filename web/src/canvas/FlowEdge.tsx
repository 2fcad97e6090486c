import { BaseEdge, getBezierPath, useInternalNode, type EdgeProps } from '@xyflow/react';
import { backwardPath, runsBackward } from './edge-route.ts';

/**
 * Every edge reads left to right: a curve when the target is to the right of its source, a path round under both
 * nodes when it is not (see `backwardPath`). The canvas adds an arrowhead to each, so the direction shows either way.
 */
export function FlowEdge(props: EdgeProps) {
  const { id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const sourceNode = useInternalNode(source);
  const targetNode = useInternalNode(target);
  const ends = { from: { x: sourceX, y: sourceY }, to: { x: targetX, y: targetY } };
  const bottom = (node: typeof sourceNode) =>
    node ? node.internals.positionAbsolute.y + (node.measured.height ?? 0) : -Infinity;
  const path = runsBackward(ends)
    ? backwardPath({ ...ends, below: Math.max(bottom(sourceNode), bottom(targetNode), sourceY, targetY) })
    : getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition })[0];
  return (
    <BaseEdge
      id={id}
      path={path}
      markerEnd={props.markerEnd}
      style={props.style}
      interactionWidth={props.interactionWidth ?? 20}
    />
  );
}
