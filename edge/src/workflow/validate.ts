import { analyze } from './analyze.ts';
import type { WorkflowIssue } from './errors.ts';
import { lowerNodes } from './lower.ts';

/** All problems of a graph against a catalog at once; an empty list means every node is valid. */
export function validate(graph: unknown, catalog: unknown): WorkflowIssue[] {
  const analyzed = analyze(graph, catalog);
  if (!analyzed.ok) return analyzed.issues;
  const { analysis } = analyzed;
  // Lowering the healthy nodes finds what only shows in expressions: graphs too complex to run.
  const healthy = analysis.structure.order.filter((id) => analysis.schemas.has(id));
  return [...analysis.issues, ...lowerNodes(analysis, healthy, { catalog: analysis.catalog }).issues];
}
