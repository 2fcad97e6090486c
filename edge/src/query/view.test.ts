import { describe, expect, it } from 'vitest';
import { catalogSchema, compile, graphSchema } from '../workflow/index.ts';
import { edge, node } from '../test-support/graphs.ts';
import { applyView } from './view.ts';

const catalog = catalogSchema.parse([
  {
    database: 'flowforge',
    table: 'raw_trades',
    store: 'duckdb',
    columns: [
      { name: 'event_time', type: 'datetime' },
      { name: 'symbol', type: 'string' },
      { name: 'quantity', type: 'decimal(18,4)' },
    ],
  },
  {
    database: 'marts',
    table: 'dim_instruments',
    store: 'duckdb',
    columns: [
      { name: 'symbol', type: 'string' },
      { name: 'sector', type: 'string' },
    ],
  },
]);

/** trades → group_by (no keys) → kpi: the output has neither a date nor a symbol column. */
const kpiGraph = (sourceTable = 'raw_trades', database = 'flowforge') =>
  graphSchema.parse({
    nodes: [
      node('src', 'data_source', { database, table: sourceTable }),
      node('grp', 'group_by', {
        group_by: [],
        aggregations: [{ function: 'count', column: '*', alias: 'n' }],
      }),
      node('kpi', 'kpi', { value: 'n' }),
    ],
    edges: [edge('src', 'grp'), edge('grp', 'kpi')],
  });

const sqlOf = (view: ReturnType<typeof applyView>) => {
  const compiled = compile(view.graph, view.target, { catalog });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return compiled.sql;
};

describe('applyView: global filters at the scans', () => {
  it('filters below an aggregate whose output has no date or symbol column', () => {
    const view = applyView(
      kpiGraph(),
      'kpi',
      { filters: { symbols: ['AAPL'], date_from: '2026-01-05', date_to: '2026-01-06' } },
      catalog,
    );
    expect(view.unapplied).toEqual([]);
    expect(view.target).toBe('kpi');
    const sql = sqlOf(view);
    // A WHERE on the scan, not a HAVING on the aggregate.
    expect(sql).toMatch(/FROM "flowforge"\."raw_trades"[\s\S]*WHERE[\s\S]*"symbol" IN \('AAPL'\)/);
    // Date-only bounds are half-open: date_to covers its whole day ([from, to + 1 day)).
    expect(sql).toMatch(
      /"event_time" >= [^\n]*2026-01-05 00:00:00\.000[\s\S]*"event_time" < [^\n]*2026-01-07 00:00:00\.000/,
    );
    expect(sql).not.toMatch(/HAVING/);
  });

  it('reports the date filter as not applicable on a table without a date column', () => {
    const view = applyView(
      kpiGraph('dim_instruments', 'marts'),
      'kpi',
      { filters: { symbols: ['AAPL'], date_from: '2026-01-05' } },
      catalog,
    );
    expect(view.unapplied).toEqual(['date']);
    expect(sqlOf(view)).toMatch(/"symbol" IN \('AAPL'\)/);
    expect(sqlOf(view)).not.toMatch(/2026-01-05/);
  });

  it('filters every source of a join and targets the filter when the target is the source itself', () => {
    const graph = graphSchema.parse({
      nodes: [
        node('t', 'data_source', { database: 'flowforge', table: 'raw_trades' }),
        node('i', 'data_source', { database: 'marts', table: 'dim_instruments' }),
        node('j', 'join', { join_type: 'INNER', keys: [{ left: 'symbol', right: 'symbol' }] }),
      ],
      edges: [edge('t', 'j', 'left'), edge('i', 'j', 'right')],
    });
    const joined = applyView(graph, 'j', { filters: { symbols: ['MSFT'] } }, catalog);
    expect(joined.unapplied).toEqual([]);
    expect(joined.graph.nodes.filter((n) => n.type === 'filter')).toHaveLength(2);
    expect(joined.graph.edges.filter((e) => e.target === 'j').map((e) => e.source)).toEqual([
      '__view_filter_t',
      '__view_filter_i',
    ]);

    const alone = applyView(graph, 't', { filters: { symbols: ['MSFT'] } }, catalog);
    expect(alone.target).toBe('__view_filter_t');
    expect(sqlOf(alone)).toMatch(/"symbol" IN \('MSFT'\)/);
  });

  it('leaves the graph alone without filters', () => {
    const graph = kpiGraph();
    expect(applyView(graph, 'kpi', { filters: {} }, catalog)).toEqual({
      graph,
      target: 'kpi',
      unapplied: [],
    });
  });
});
