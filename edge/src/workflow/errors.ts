/** Every problem the engine reports is one of these codes, attached to a node (and a config field when it has one). */
export const ISSUE_CODES = [
  'INVALID_GRAPH',
  'INVALID_CATALOG',
  'INVALID_CONFIG',
  'UNKNOWN_NODE_TYPE',
  'DUPLICATE_NODE_ID',
  'DANGLING_EDGE',
  'CYCLE',
  'MISSING_INPUT',
  'DUPLICATE_INPUT',
  'UNEXPECTED_INPUT',
  'TERMINAL_NODE_HAS_OUTPUT',
  'UNKNOWN_TARGET',
  'UNKNOWN_TABLE',
  'UNKNOWN_COLUMN',
  'DUPLICATE_COLUMN',
  'TYPE_MISMATCH',
  'INVALID_VALUE',
  'UNION_MISMATCH',
  'FORMULA_SYNTAX',
  'UNKNOWN_FUNCTION',
  'PAGE_LIMIT_EXCEEDED',
  'TOO_COMPLEX',
  'MIXED_STORES',
] as const;

export type IssueCode = (typeof ISSUE_CODES)[number];

/** An error as a value: the API maps a list of these to HTTP 422, the canvas paints them on nodes and fields. */
export interface WorkflowIssue {
  /** The node the problem belongs to; `""` for graph-level problems (e.g. a malformed graph document). */
  nodeId: string;
  /** Path into the node's `data`, e.g. `conditions[1].column`. */
  field?: string;
  code: IssueCode;
  message: string;
}

export function issue(nodeId: string, code: IssueCode, message: string, field?: string): WorkflowIssue {
  return field === undefined ? { nodeId, code, message } : { nodeId, field, code, message };
}

/** The closest candidate within a typo's reach, used for "did you mean" hints. */
function closestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

export function didYouMean(name: string, candidates: readonly string[]): string {
  const suggestion = closestName(name, candidates);
  return suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
