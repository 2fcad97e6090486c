import type { CanvasStore } from './store.ts';

/** A user action: one object binds its label, shortcut and effect, so toolbar and keyboard never disagree. */
export interface CanvasAction {
  name: string;
  label: string;
  /** e.g. `mod+z`: `mod` is Ctrl (Cmd on macOS). */
  keys: string[];
  perform(store: CanvasStore): void;
  enabled?(store: CanvasStore): boolean;
}

export const ACTIONS: CanvasAction[] = [
  {
    name: 'undo',
    label: 'Undo',
    keys: ['mod+z'],
    perform: (s) => s.getState().undo(),
    enabled: (s) => s.getState().past.length > 0,
  },
  {
    name: 'redo',
    label: 'Redo',
    keys: ['mod+shift+z', 'mod+y'],
    perform: (s) => s.getState().redo(),
    enabled: (s) => s.getState().future.length > 0,
  },
  {
    name: 'duplicate',
    label: 'Duplicate',
    keys: ['mod+d'],
    perform: (s) => s.getState().duplicateSelected(),
    enabled: (s) => s.getState().nodes.some((n) => n.selected),
  },
  {
    name: 'delete',
    label: 'Delete',
    keys: ['delete', 'backspace'],
    perform: (s) => s.getState().deleteSelected(),
    enabled: (s) => s.getState().nodes.some((n) => n.selected) || s.getState().edges.some((e) => e.selected),
  },
  { name: 'selectAll', label: 'Select all', keys: ['mod+a'], perform: (s) => s.getState().selectAll() },
  {
    name: 'autoLayout',
    label: 'Auto-layout',
    keys: ['shift+l'],
    perform: (s) => s.getState().autoLayout(),
    enabled: (s) => s.getState().nodes.length > 0,
  },
];

export function shortcutOf(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): string {
  const parts = [];
  if (event.ctrlKey || event.metaKey) parts.push('mod');
  if (event.shiftKey) parts.push('shift');
  if (event.altKey) parts.push('alt');
  parts.push(event.key.toLowerCase());
  return parts.join('+');
}

export function actionForShortcut(shortcut: string): CanvasAction | undefined {
  return ACTIONS.find((a) => a.keys.includes(shortcut));
}
