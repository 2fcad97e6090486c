import { describe, expect, it } from 'vitest';
import { findColumn, withColumn } from './columns.ts';
import type { Column } from './types.ts';

const column = (name: string, type: Column['type'] = 'int64'): Column => ({ name, type, nullable: false });

describe('findColumn / withColumn', () => {
  it('finds columns of small and large schemas, extended step by step or built at once', () => {
    let chained: readonly Column[] = [column('a')];
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
    expect(replaced[5]).toEqual(column('c5', 'float64'));
    expect(findColumn(replaced, 'c5')?.type).toBe('float64');
    expect(findColumn(left, 'c5')?.type).toBe('int64');
    expect(findColumn(withColumn(replaced, column('z')), 'x')).toEqual(column('x'));
  });
});
