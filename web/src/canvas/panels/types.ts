import type { Column, WorkflowIssue } from '@flowforge/edge/workflow';
import type { CatalogEntry } from '../../api/use-catalog.ts';

export interface PanelProps<T = Record<string, unknown>> {
  nodeId: string;
  data: T;
  /** Columns per input handle: `in`, or `left`/`right` for joins. */
  inputs: Record<string, Column[]>;
  issues: WorkflowIssue[];
  catalog: readonly CatalogEntry[];
  /** `coalesceKey` folds a burst of keystrokes into one undo step. (A method, so panel registries stay assignable.) */
  update(data: T, coalesceKey?: string): void;
}

/** The engine's message for a config field (or anything under it), shown next to that field. */
export function fieldError(issues: readonly WorkflowIssue[], field: string): string | undefined {
  return issues.find(
    (i) => i.field === field || i.field?.startsWith(`${field}.`) || i.field?.startsWith(`${field}[`),
  )?.message;
}
