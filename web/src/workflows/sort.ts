import type { WorkflowOut } from '@flowforge/edge/api-types';

export const WORKFLOW_SORTS = {
  edited: 'Last edited',
  name: 'Name',
} as const;
export type WorkflowSort = keyof typeof WORKFLOW_SORTS;

const STORAGE_KEY = 'flowforge.workflow-list.sort';
const names = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Newest edit first, or by name as a person reads it (case-insensitive, "2" before "10"); ties keep the newest first. */
export function sortWorkflows(workflows: readonly WorkflowOut[], sort: WorkflowSort): WorkflowOut[] {
  const byEdit = (a: WorkflowOut, b: WorkflowOut) => b.updated_at.localeCompare(a.updated_at);
  return [...workflows].sort(
    sort === 'name' ? (a, b) => names.compare(a.name, b.name) || byEdit(a, b) : byEdit,
  );
}

/** The order the user last chose, kept across visits in this browser. */
export function rememberedSort(): WorkflowSort {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved !== null && saved in WORKFLOW_SORTS ? (saved as WorkflowSort) : 'edited';
}

export const rememberSort = (sort: WorkflowSort) => localStorage.setItem(STORAGE_KEY, sort);
