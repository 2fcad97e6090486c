import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { propagate } from './index.ts';

interface Fixture {
  catalog: unknown;
  cases: {
    name: string;
    catalog?: unknown;
    graph: unknown;
    expected: Record<string, unknown[]>;
    errors?: { nodeId: string; code: string; field?: string }[];
  }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/schema_propagation_cases.json', import.meta.url), 'utf8'),
) as Fixture;

describe('schema propagation (shared fixture)', () => {
  it('covers every node type', () => {
    const types = new Set(
      fixture.cases.flatMap((c) => (c.graph as { nodes: { type: string }[] }).nodes.map((n) => n.type)),
    );
    expect([...types].sort()).toEqual(
      [
        'bar_chart',
        'candlestick',
        'data_source',
        'filter',
        'formula',
        'group_by',
        'join',
        'kpi',
        'line_chart',
        'pivot',
        'rename',
        'sample',
        'scatter',
        'select',
        'sort',
        'table_view',
        'union',
        'unique',
      ].sort(),
    );
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = propagate(c.graph, c.catalog ?? fixture.catalog);
    for (const [nodeId, columns] of Object.entries(c.expected))
      expect(result.schemas[nodeId], nodeId).toEqual(columns);
    expect(
      result.errors.map(({ nodeId, code, field }) => ({
        nodeId,
        code,
        ...(field === undefined ? {} : { field }),
      })),
    ).toEqual(c.errors ?? []);
  });
});

describe('propagate', () => {
  it('reports a malformed graph document instead of throwing', () => {
    const result = propagate({ nodes: 'nope' }, []);
    expect(result.schemas).toEqual({});
    expect(result.errors).toEqual([
      expect.objectContaining({ nodeId: '', code: 'INVALID_GRAPH', field: 'nodes' }),
      expect.objectContaining({ code: 'INVALID_GRAPH', field: 'edges' }),
    ]);
  });

  it('reports a malformed catalog', () => {
    const result = propagate({ nodes: [], edges: [] }, [
      { database: 'x', table: 'y', store: 'oracle', columns: [] },
    ]);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'INVALID_CATALOG', field: '[0].store' })]);
  });

  it('parses a catalog array once, and a new array afresh', () => {
    const graph = {
      nodes: [
        { id: 's', type: 'data_source', position: { x: 0, y: 0 }, data: { database: 'm', table: 't' } },
      ],
      edges: [],
    };
    const table = (nullable: boolean) => ({
      database: 'm',
      table: 't',
      store: 'clickhouse',
      columns: [{ name: 'price', type: 'float64', nullable }],
    });
    const catalog = [table(false)];
    const column = { name: 'price', type: 'float64', nullable: false };
    expect(propagate(graph, catalog).schemas).toEqual({ s: [column] });
    expect(propagate(graph, catalog).schemas).toEqual({ s: [column] });
    expect(propagate(graph, [table(true)]).schemas).toEqual({ s: [{ ...column, nullable: true }] });
    const malformed = [{ ...table(false), store: 'oracle' }];
    for (let i = 0; i < 2; i++) {
      expect(propagate(graph, malformed).errors).toEqual([
        expect.objectContaining({ code: 'INVALID_CATALOG', field: '[0].store' }),
      ]);
    }
  });
});
