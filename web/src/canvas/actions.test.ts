import { describe, expect, it } from 'vitest';
import { ACTIONS, actionForShortcut, shortcutOf } from './actions.ts';
import { createCanvasStore } from './store.ts';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) =>
  shortcutOf({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('canvas actions', () => {
  it('maps keyboard events to shortcuts, Ctrl and Cmd alike', () => {
    expect(key('z', { ctrlKey: true })).toBe('mod+z');
    expect(key('Z', { metaKey: true, shiftKey: true })).toBe('mod+shift+z');
    expect(key('Delete')).toBe('delete');
    expect(actionForShortcut('mod+z')?.name).toBe('undo');
    expect(actionForShortcut('mod+y')?.name).toBe('redo');
    expect(actionForShortcut('mod+shift+z')?.name).toBe('redo');
    expect(actionForShortcut('mod+q')).toBeUndefined();
  });

  it('binds each shortcut to one action only', () => {
    const keys = ACTIONS.flatMap((a) => a.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('performs on the store and knows when it is enabled', () => {
    const store = createCanvasStore();
    const undo = actionForShortcut('mod+z')!;
    const duplicate = actionForShortcut('mod+d')!;
    expect(undo.enabled!(store)).toBe(false);
    store.getState().addNode('filter', { x: 0, y: 0 });
    expect(duplicate.enabled!(store)).toBe(true);
    duplicate.perform(store);
    expect(store.getState().nodes).toHaveLength(2);
    undo.perform(store);
    expect(store.getState().nodes).toHaveLength(1);
    actionForShortcut('delete')!.perform(store);
    expect(store.getState().nodes).toHaveLength(0);
  });
});
