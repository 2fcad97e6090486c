import { describe, expect, it } from 'vitest';
import { analyzeStructure } from './graph.ts';
import type { Graph } from './schema.ts';

const source = (id: string) => ({ id, type: 'data_source', data: {} });
const step = (id: string) => ({ id, type: 'filter', data: {} });
const edge = (from: string, to: string, targetHandle?: string) => ({
  id: `${from}->${to}`,
  source: from,
  target: to,
  ...(targetHandle ? { targetHandle } : {}),
});

describe('analyzeStructure: topological order', () => {
  it('orders a 2 000-node chain listed in reverse, edges listed in reverse too', () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => `n${i}`);
    const graph: Graph = {
      nodes: ids.map((id, i) => (i === 0 ? source(id) : step(id))).reverse(),
      edges: ids
        .slice(1)
        .map((id, i) => edge(ids[i]!, id))
        .reverse(),
    };
    const structure = analyzeStructure(graph);
    expect(structure.issues).toEqual([]);
    expect(structure.order).toEqual(ids);
  });

  it('keeps the order of sweeping the node list: ready nodes in list order, a node listed before its input later', () => {
    // a reads c; d reads a; b, c, e are sources; u unions c and a. Sweep 1 takes b, c, e (a is listed before c);
    // sweep 2 takes a, then d and u behind it in list order.
    const graph: Graph = {
      nodes: [
        step('a'),
        source('b'),
        source('c'),
        step('d'),
        source('e'),
        { id: 'u', type: 'union', data: {} },
      ],
      edges: [edge('c', 'a'), edge('a', 'd'), edge('c', 'u'), edge('a', 'u')],
    };
    expect(analyzeStructure(graph).order).toEqual(['b', 'c', 'e', 'a', 'd', 'u']);
  });

  it('leaves out nodes on or behind a cycle and reports only those on it', () => {
    const graph: Graph = {
      nodes: [source('s'), step('x'), step('y'), step('z'), step('after')],
      edges: [edge('s', 'x'), edge('y', 'z'), edge('z', 'y'), edge('y', 'after')],
    };
    const structure = analyzeStructure(graph);
    expect(structure.order).toEqual(['s', 'x']);
    expect(structure.issues.map((i) => [i.nodeId, i.code])).toEqual([
      ['y', 'CYCLE'],
      ['z', 'CYCLE'],
    ]);
  });

  it('counts an input used twice as two inputs (a union of one node with itself)', () => {
    const graph: Graph = {
      nodes: [{ id: 'u', type: 'union', data: {} }, source('s')],
      edges: [
        { id: 'e1', source: 's', target: 'u' },
        { id: 'e2', source: 's', target: 'u' },
      ],
    };
    const structure = analyzeStructure(graph);
    expect(structure.inputs.get('u')).toEqual(['s', 's']);
    expect(structure.order).toEqual(['s', 'u']);
  });
});
