import { analyze } from './analyze.ts';
import type { WorkflowIssue } from './errors.ts';

/** All problems of a graph against a catalog at once; an empty list means every node is valid. */
export function validate(graph: unknown, catalog: unknown): WorkflowIssue[] {
  const analyzed = analyze(graph, catalog);
  return analyzed.ok ? analyzed.analysis.issues : analyzed.issues;
}
