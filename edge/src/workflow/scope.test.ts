import { describe, expect, it } from 'vitest';
import { Scope } from './scope.ts';

const entries = (scope: Scope<number>) => ['a', 'b', 'c', 'd', 'x', 'y'].map((n) => [n, scope.get(n)]);

describe('Scope', () => {
  it('appends and replaces without changing earlier versions', () => {
    const base = Scope.of([
      ['a', 1],
      ['b', 2],
    ]);
    const appended = base.set('c', 3);
    const replaced = appended.set('a', 10);
    expect(base.values()).toEqual([1, 2]);
    expect(base.get('c')).toBeUndefined();
    expect(appended.values()).toEqual([1, 2, 3]);
    expect(replaced.values()).toEqual([10, 2, 3]);
    expect(appended.get('a')).toBe(1);
    expect(replaced.size).toBe(3);
  });

  it('keeps branches apart: two versions appending to one parent never see each other', () => {
    const parent = Scope.of([['a', 1]]);
    const left = parent.set('x', 2).set('b', 3);
    const right = parent.set('y', 4);
    const rightMore = right.set('c', 5);
    const replacedThenAppended = parent.set('a', 9).set('d', 6);
    expect(entries(left)).toEqual([
      ['a', 1],
      ['b', 3],
      ['c', undefined],
      ['d', undefined],
      ['x', 2],
      ['y', undefined],
    ]);
    expect(entries(rightMore)).toEqual([
      ['a', 1],
      ['b', undefined],
      ['c', 5],
      ['d', undefined],
      ['x', undefined],
      ['y', 4],
    ]);
    expect(replacedThenAppended.values()).toEqual([9, 6]);
    expect(parent.values()).toEqual([1]);
    expect(left.values()).toEqual([1, 2, 3]);
    // The parent can still grow its own way after its children did.
    expect(parent.set('d', 7).values()).toEqual([1, 7]);
    expect(parent.set('d', 7).get('x')).toBeUndefined();
  });

  it('counts the values its predicate marks, through appends and replacements', () => {
    const odd = (v: number) => v % 2 === 1;
    const scope = Scope.of(
      [
        ['a', 1],
        ['b', 2],
      ],
      odd,
    );
    expect(scope.marked).toBe(1);
    expect(scope.set('c', 3).marked).toBe(2);
    expect(scope.set('a', 4).marked).toBe(0);
    expect(scope.set('b', 5).marked).toBe(2);
    expect(scope.set('a', 4).set('a', 7).marked).toBe(1);
  });
});
