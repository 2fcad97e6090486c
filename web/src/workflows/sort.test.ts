import type { WorkflowOut } from '@flowforge/edge/api-types';
import { afterEach, describe, expect, it } from 'vitest';
import { rememberedSort, rememberSort, sortWorkflows } from './sort.ts';

const workflow = (name: string, updated_at: string) =>
  ({ id: name, name, updated_at, version: 1, graph: { nodes: [], edges: [] } }) as unknown as WorkflowOut;
const list = [
  workflow('vwap 10', '2026-01-02T10:00:00.000Z'),
  workflow('Spread', '2026-01-03T09:00:00.000Z'),
  workflow('vwap 2', '2026-01-01T08:00:00.000Z'),
  workflow('spread', '2026-01-04T07:00:00.000Z'),
];

describe('sortWorkflows', () => {
  it('puts the last edited first', () => {
    expect(sortWorkflows(list, 'edited').map((w) => w.name)).toEqual([
      'spread',
      'Spread',
      'vwap 10',
      'vwap 2',
    ]);
  });

  it('orders names as a person reads them: case-insensitive, numbers by value, ties newest first', () => {
    expect(sortWorkflows(list, 'name').map((w) => w.name)).toEqual(['spread', 'Spread', 'vwap 2', 'vwap 10']);
  });

  it('leaves the list it was given alone', () => {
    const copy = [...list];
    sortWorkflows(list, 'name');
    expect(list).toEqual(copy);
  });
});

describe('the remembered order', () => {
  afterEach(() => localStorage.clear());

  it('is last edited until the user picks one, then what they picked', () => {
    expect(rememberedSort()).toBe('edited');
    rememberSort('name');
    expect(rememberedSort()).toBe('name');
  });

  it('ignores a stored value this build does not know', () => {
    localStorage.setItem('flowforge.workflow-list.sort', 'size');
    expect(rememberedSort()).toBe('edited');
  });
});
