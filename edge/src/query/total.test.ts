import { describe, expect, it } from 'vitest';
import { edge, node } from '../test-support/graphs.ts';
import { countTarget, knownTotal } from './index.ts';

describe('knownTotal: when the rows already tell the total', () => {
  it('a preview that fits is its own total; a cut one must be counted', () => {
    expect(knownTotal({}, false, 42)).toBe(42);
    expect(knownTotal({}, false, 0)).toBe(0);
    expect(knownTotal({}, true, 100)).toBeUndefined();
  });

  it('a page that is not full ends the result; a full or empty later page must be counted', () => {
    const page = (n: number) => ({ view: { page: { page: n, pageSize: 50 } } });
    expect(knownTotal(page(2), false, 7)).toBe(107);
    expect(knownTotal(page(0), false, 0)).toBe(0);
    expect(knownTotal(page(0), false, 50)).toBeUndefined();
    expect(knownTotal(page(3), false, 0)).toBeUndefined();
  });
});

describe('countTarget', () => {
  const graph = {
    nodes: [
      node('src', 'data_source', {}),
      node('tv', 'table_view', { page_size: 50 }),
      node('bar', 'bar_chart', {}),
    ],
    edges: [edge('src', 'tv'), edge('src', 'bar')],
  };
  it("counts a table_view's input, since its own page would cap the count", () => {
    expect(countTarget(graph, 'tv')).toBe('src');
  });
  it('counts any other node itself', () => {
    expect(countTarget(graph, 'src')).toBe('src');
    expect(countTarget(graph, 'bar')).toBe('bar');
  });
});
