import type { Analysis } from './analyze.ts';
import { dateArgumentProblem, type Dialect } from './dialects/dialect.ts';
import { issue, type WorkflowIssue } from './errors.ts';
import { children, type Expr, type NamedExpr, type Rel } from './ir.ts';
import { NODE_TYPES, type NodeContext } from './nodes/index.ts';
import { Scope } from './scope.ts';

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
  /** The dialect each node's query runs in (its store's, or compile's choice); undefined = not known yet. */
  dialectOf: (id: string) => Dialect | undefined,
): { rels: Map<string, Rel>; issues: WorkflowIssue[] } {
  const rels = new Map<string, Rel>();
  const issues: WorkflowIssue[] = [];
  for (const id of ids) {
    const node = analysis.structure.nodes.get(id)!;
    const inputIds = analysis.structure.inputs.get(id)!;
    const inputs = inputIds.map((input) => rels.get(input)!);
    const rel = NODE_TYPES.get(node.type)!.lower(inputs, analysis.configs.get(id), context);
    rels.set(id, rel);
    if (
      sizesOf(rel).largest > MAX_EXPANDED_SIZE &&
      inputs.every((input) => sizesOf(input).largest <= MAX_EXPANDED_SIZE)
    ) {
      const message = `This node's expressions grow past ${MAX_EXPANDED_SIZE.toLocaleString('en-US')} operations once earlier formulas are substituted; simplify them or reuse fewer intermediate results`;
      issues.push(issue(id, 'TOO_COMPLEX', message));
    }
    const dialect = dialectOf(id);
    if (dialect)
      for (const problem of dialectProblems(rel, inputs, dialect))
        issues.push(issue(id, 'TYPE_MISMATCH', problem));
  }
  return { rels, issues };
}

/** What the node's own expressions (not its inputs') ask of `dialect` that it cannot run, one message each. */
function dialectProblems(rel: Rel, inputs: readonly Rel[], dialect: Dialect): string[] {
  const problems = new Set<string>();
  const check = (expr: Expr): void => {
    if (expr.kind === 'call') {
      const problem = dateArgumentProblem(
        dialect,
        expr.fn,
        expr.args.map((a) => a.type),
      );
      if (problem) problems.add(problem);
    }
    children(expr).forEach(check);
  };
  for (let step: Rel | undefined = rel; step && !inputs.includes(step); step = inputOf(step))
    ownExpressions(step).forEach(check);
  return [...problems];
}

function inputOf(rel: Rel): Rel | undefined {
  return 'input' in rel ? rel.input : undefined;
}

function ownExpressions(rel: Rel): Expr[] {
  switch (rel.kind) {
    case 'filter':
      return [rel.predicate];
    case 'project':
      return rel.columns.map((c) => c.expr);
    case 'extend':
      return [rel.expr];
    case 'aggregate':
      return [...rel.groupBy, ...rel.aggregates].map((c) => c.expr);
    case 'sort':
      return rel.keys.map((k) => k.expr);
    default:
      return [];
  }
}

interface Sizes {
  /** Per output column: its expression size with every computed column below substituted (capped to stay finite). */
  columns: Scope<number>;
  /**
   * The largest size computed here or upstream, dropped columns included: an expression past the limit is reported
   * where it first appears, and every node after it fails with it anyway.
   */
  largest: number;
}

const memo = new WeakMap<Rel, Sizes>();

function sizesOf(rel: Rel): Sizes {
  let sizes = memo.get(rel);
  if (!sizes) {
    sizes = computeSizes(rel);
    memo.set(rel, sizes);
  }
  return sizes;
}

function computeSizes(rel: Rel): Sizes {
  switch (rel.kind) {
    case 'scan':
      return { columns: Scope.of(rel.schema.map((c) => [c.name, 1])), largest: 1 };
    case 'filter':
    case 'sort':
    case 'limit':
    case 'distinct':
    case 'sample':
      return sizesOf(rel.input);
    case 'extend': {
      const input = sizesOf(rel.input);
      const size = weigh(rel.expr, input.columns);
      return { columns: input.columns.set(rel.name, size), largest: Math.max(input.largest, size) };
    }
    case 'project':
      return computed(sizesOf(rel.input), rel.columns);
    case 'aggregate':
      return computed(sizesOf(rel.input), [...rel.groupBy, ...rel.aggregates]);
    case 'join': {
      const sides = { left: sizesOf(rel.left), right: sizesOf(rel.right) };
      return {
        columns: Scope.of(rel.columns.map((c) => [c.name, sides[c.side].columns.get(c.source)!])),
        largest: Math.max(sides.left.largest, sides.right.largest),
      };
    }
    case 'union': {
      const inputs = rel.inputs.map(sizesOf);
      return {
        columns: Scope.of(
          rel.schema.map((c) => [c.name, Math.max(...inputs.map((i) => i.columns.get(c.name)!))]),
        ),
        largest: Math.max(...inputs.map((i) => i.largest)),
      };
    }
  }
}

function computed(input: Sizes, columns: readonly NamedExpr[]): Sizes {
  const sizes = columns.map((c): [string, number] => [c.name, weigh(c.expr, input.columns)]);
  return { columns: Scope.of(sizes), largest: Math.max(input.largest, ...sizes.map(([, size]) => size)) };
}

const CAP = MAX_EXPANDED_SIZE * 1_000;

function weigh(expr: Expr, columns: Scope<number>): number {
  if (expr.kind === 'col') return columns.get(expr.name)!;
  return Math.min(
    CAP,
    children(expr).reduce((sum, child) => sum + weigh(child, columns), 1),
  );
}
