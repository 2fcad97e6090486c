import { analyze } from './analyze.ts';
import { columnArray } from './columns.ts';
import type { WorkflowIssue } from './errors.ts';
import type { Column } from './types.ts';

export interface PropagationResult {
  /** Output columns of every node whose schema could be computed (node id → columns). */
  schemas: Record<string, Column[]>;
  /** Every problem found; nodes downstream of a problem have no schema and no issue of their own. */
  errors: WorkflowIssue[];
}

/** Output schema of every node — the one implementation shared by the canvas, the API, the CLI and the compiler. */
export function propagate(graph: unknown, catalog: unknown): PropagationResult {
  const analyzed = analyze(graph, catalog);
  if (!analyzed.ok) return { schemas: {}, errors: analyzed.issues };
  const schemas: Record<string, Column[]> = {};
  for (const [id, columns] of analyzed.analysis.schemas) schemas[id] = columnArray(columns);
  return { schemas, errors: analyzed.analysis.issues };
}
