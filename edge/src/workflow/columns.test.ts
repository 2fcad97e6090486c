import { describe, expect, it } from 'vitest';
import { columnArray, findColumn, withColumn, type Columns } from './columns.ts';
import type { Column } from './types.ts';

const column = (name: string, type: Column['type'] = 'int64'): Column => ({ name, type, nullable: false });

describe('findColumn / withColumn', () => {
  it('finds columns of small and large schemas, extended step by step or built at once', () => {
    let chained: Columns = [column('a')];
    for (let i = 0; i < 60; i++) chained = withColumn(chained, column(`c${i}`));
    const built = [column('a'), ...Array.from({ length: 60 }, (_, i) => column(`c${i}`))];
    for (const schema of [chained, built, built.slice(0, 5)]) {
      expect(findColumn(schema, 'a')).toEqual(column('a'));
      expect(findColumn(schema, 'c3')).toEqual(column('c3'));
      expect(findColumn(schema, 'nope')).toBeUndefined();
    }
    expect(findColumn(chained, 'c59')).toEqual(column('c59'));
    expect(chained.map((c) => c.name)).toEqual(built.map((c) => c.name));
  });

  it('replaces in place, and branches of one schema never see each other', () => {
    const base = Array.from({ length: 40 }, (_, i) => column(`c${i}`));
    const left = withColumn(base, column('x'));
    const right = withColumn(base, column('y', 'string'));
    const replaced = withColumn(left, column('c5', 'float64'));
    expect(findColumn(left, 'y')).toBeUndefined();
    expect(findColumn(right, 'x')).toBeUndefined();
    expect(findColumn(right, 'y')?.type).toBe('string');
    expect(replaced.length).toBe(41);
    expect(replaced.at(5)).toEqual(column('c5', 'float64'));
    expect(findColumn(replaced, 'c5')?.type).toBe('float64');
    expect(findColumn(left, 'c5')?.type).toBe('int64');
    expect(findColumn(withColumn(replaced, column('z')), 'x')).toEqual(column('x'));
  });

  it('shares one store along a wide chain and reads like the array it stands for', () => {
    const base = Array.from({ length: 31 }, (_, i) => column(`c${i}`));
    const steps: Columns[] = [base];
    for (let i = 0; i < 5; i++) steps.push(withColumn(steps.at(-1)!, column(`x${i}`, 'float64')));
    const last = steps.at(-1)!;
    expect(Array.isArray(last)).toBe(false);
    const expected = [...base, ...Array.from({ length: 5 }, (_, i) => column(`x${i}`, 'float64'))];
    expect(columnArray(last)).toEqual(expected);
    expect(JSON.parse(JSON.stringify(last))).toEqual(expected);
    // Each version still sees only its own columns.
    expect(steps.map((s) => s.length)).toEqual([31, 32, 33, 34, 35, 36]);
    expect(columnArray(steps[2]!)).toEqual(expected.slice(0, 33));
    expect(steps[2]!.at(-1)).toEqual(column('x1', 'float64'));
    expect(steps[2]!.at(33)).toBeUndefined();
    expect(last.filter((c) => c.type === 'float64').map((c) => c.name)).toEqual([
      'x0',
      'x1',
      'x2',
      'x3',
      'x4',
    ]);
    expect(last.findIndex((c) => c.name === 'x2')).toBe(33);
    expect(last.some((c) => c.name === 'x4') && last.every((c) => c.nullable === false)).toBe(true);
    expect(steps[1]!.find((c) => c.name === 'x1')).toBeUndefined();
  });
});
