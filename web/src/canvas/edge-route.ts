/** Where an edge runs: `from` is the source handle, `to` the target handle, `below` the lowest edge of both nodes. */
export interface EdgeEnds {
  from: { x: number; y: number };
  to: { x: number; y: number };
  below: number;
}

/** How far a backward edge leaves its handle before it turns, and how far under the nodes it passes. */
const STUB = 20;
const CLEARANCE = 24;

/**
 * The SVG path of an edge whose target sits left of its source (a node moved behind its input): out of the source to
 * the right, down under both nodes, back left past the target, and into the target from the left, with rounded
 * corners. A curve there would double back across both nodes and read as running right to left.
 */
export function backwardPath({ from, to, below }: EdgeEnds, radius = 8): string {
  const y = below + CLEARANCE;
  const points = [
    from,
    { x: from.x + STUB, y: from.y },
    { x: from.x + STUB, y },
    { x: to.x - STUB, y },
    { x: to.x - STUB, y: to.y },
    to,
  ];
  let d = `M ${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [prev, at, next] = [points[i - 1]!, points[i]!, points[i + 1]!];
    const r = Math.min(radius, distance(prev, at) / 2, distance(at, next) / 2);
    const enter = towards(at, prev, r);
    const leave = towards(at, next, r);
    d += ` L ${enter.x} ${enter.y} Q ${at.x} ${at.y} ${leave.x} ${leave.y}`;
  }
  return `${d} L ${to.x} ${to.y}`;
}

/** An edge goes round only when the target's input is left of the source's output: a short gap still curves. */
export const runsBackward = (ends: Pick<EdgeEnds, 'from' | 'to'>) => ends.to.x < ends.from.x;

type Point = { x: number; y: number };
const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
/** The point `r` along the way from `from` to `to`. */
function towards(from: Point, to: Point, r: number): Point {
  const d = distance(from, to);
  return d === 0 ? from : { x: from.x + ((to.x - from.x) * r) / d, y: from.y + ((to.y - from.y) * r) / d };
}
