import type { Analysis } from './analyze.ts';
import { issue, type WorkflowIssue } from './errors.ts';
import { children, type Expr, type Rel } from './ir.ts';
import { NODE_TYPES, type NodeContext } from './nodes/index.ts';

/**
 * Expression nodes a column may reach once every computed column below it is substituted. PostgreSQL and ClickHouse
 * flatten subqueries, so this — not the SQL text — is what they evaluate: formulas that each use the previous one
 * twice double it per step, and past a few dozen steps the server runs out of memory. Such graphs are refused.
 */
export const MAX_EXPANDED_SIZE = 5_000;

/**
 * Lowers the given healthy nodes (in topological order) to relational IR, and reports nodes whose output columns
 * would expand past MAX_EXPANDED_SIZE (only where it starts, not every node downstream).
 */
export function lowerNodes(
  analysis: Analysis,
  ids: readonly string[],
  context: NodeContext,
): { rels: Map<string, Rel>; issues: WorkflowIssue[] } {
  const rels = new Map<string, Rel>();
  const sizes = new Map<string, number>();
  const issues: WorkflowIssue[] = [];
  for (const id of ids) {
    const node = analysis.structure.nodes.get(id)!;
    const inputIds = analysis.structure.inputs.get(id)!;
    const rel = NODE_TYPES.get(node.type)!.lower(
      inputIds.map((input) => rels.get(input)!),
      analysis.configs.get(id),
      context,
    );
    rels.set(id, rel);
    const largest = Math.max(0, ...expandedSizes(rel).values());
    sizes.set(id, largest);
    if (largest > MAX_EXPANDED_SIZE && inputIds.every((input) => sizes.get(input)! <= MAX_EXPANDED_SIZE)) {
      const message = `This node's expressions grow past ${MAX_EXPANDED_SIZE.toLocaleString('en-US')} operations once earlier formulas are substituted; simplify them or reuse fewer intermediate results`;
      issues.push(issue(id, 'TOO_COMPLEX', message));
    }
  }
  return { rels, issues };
}

const memo = new WeakMap<Rel, ReadonlyMap<string, number>>();

/** Per output column: its expression size with every computed column below substituted (capped to stay finite). */
function expandedSizes(rel: Rel): ReadonlyMap<string, number> {
  let sizes = memo.get(rel);
  if (!sizes) {
    sizes = computeSizes(rel);
    memo.set(rel, sizes);
  }
  return sizes;
}

function computeSizes(rel: Rel): ReadonlyMap<string, number> {
  switch (rel.kind) {
    case 'scan':
      return new Map(rel.schema.map((c) => [c.name, 1]));
    case 'filter':
    case 'sort':
    case 'limit':
    case 'distinct':
    case 'sample':
      return expandedSizes(rel.input);
    case 'project': {
      const input = expandedSizes(rel.input);
      return new Map(rel.columns.map((c) => [c.name, weigh(c.expr, input)]));
    }
    case 'aggregate': {
      const input = expandedSizes(rel.input);
      return new Map([...rel.groupBy, ...rel.aggregates].map((c) => [c.name, weigh(c.expr, input)]));
    }
    case 'join': {
      const sides = { left: expandedSizes(rel.left), right: expandedSizes(rel.right) };
      return new Map(rel.columns.map((c) => [c.name, sides[c.side].get(c.source)!]));
    }
    case 'union': {
      const inputs = rel.inputs.map(expandedSizes);
      return new Map(rel.schema.map((c) => [c.name, Math.max(...inputs.map((i) => i.get(c.name)!))]));
    }
  }
}

const CAP = MAX_EXPANDED_SIZE * 1_000;

function weigh(expr: Expr, columns: ReadonlyMap<string, number>): number {
  if (expr.kind === 'col') return columns.get(expr.name)!;
  return Math.min(
    CAP,
    children(expr).reduce((sum, child) => sum + weigh(child, columns), 1),
  );
}
