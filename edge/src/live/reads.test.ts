import { describe, expect, it } from 'vitest';
import { edge, node } from '../test-support/graphs.ts';
import { liveReads } from './reads.ts';

const trades = (id = 'src') => node(id, 'data_source', { database: 'flowforge', table: 'raw_trades' });
const filter = (id: string, logic: 'AND' | 'OR', conditions: unknown[]) =>
  node(id, 'filter', { logic, conditions });
const isAapl = { column: 'symbol', op: '=', value: 'AAPL' };

describe('liveReads', () => {
  it('reads a filtered symbol below the output, and any symbol without a filter', () => {
    const graph = {
      nodes: [
        trades(),
        filter('f', 'AND', [isAapl, { column: 'price', op: '>', value: 1 }]),
        node('s', 'sort', {}),
      ],
      edges: [edge('src', 'f'), edge('f', 's')],
    };
    expect(liveReads(graph, 's')).toEqual({
      tables: ['flowforge.raw_trades'],
      symbolsByTable: { 'flowforge.raw_trades': ['AAPL'] },
    });
    // Previewing the source itself: the filter below it does not apply.
    expect(liveReads(graph, 'src').symbolsByTable).toEqual({ 'flowforge.raw_trades': null });
  });

  it('intersects filters on one path, unites branches, and treats a non-symbol OR as unrestricted', () => {
    const graph = {
      nodes: [
        trades('a'),
        node('q', 'data_source', { database: 'flowforge', table: 'raw_quotes' }),
        filter('fa', 'AND', [{ column: 'symbol', op: 'IN', value: ['AAPL', 'MSFT'] }]),
        filter('fb', 'AND', [{ column: 'symbol', op: 'IN', value: ['MSFT', 'TSLA'] }]),
        filter('fo', 'OR', [isAapl, { column: 'price', op: '>', value: 1 }]),
        node('j', 'join', { join_type: 'INNER', keys: [{ left: 'symbol', right: 'symbol' }] }),
      ],
      edges: [
        edge('a', 'fa'),
        edge('fa', 'fb'),
        edge('fb', 'j', 'left'),
        edge('q', 'fo'),
        edge('fo', 'j', 'right'),
      ],
    };
    expect(liveReads(graph, 'j')).toEqual({
      tables: ['flowforge.raw_quotes', 'flowforge.raw_trades'],
      symbolsByTable: { 'flowforge.raw_trades': ['MSFT'], 'flowforge.raw_quotes': null },
    });
  });

  it('a table scanned twice reads the union of both paths; nodes outside the subgraph do not count', () => {
    const graph = {
      nodes: [
        trades('a'),
        trades('b'),
        filter('fa', 'AND', [isAapl]),
        filter('fb', 'OR', [{ column: 'symbol', op: '=', value: 'GS' }]),
        node('u', 'union', { mode: 'ALL' }),
        node('other', 'data_source', { database: 'metrics', table: 'vwap_5min' }),
      ],
      edges: [edge('a', 'fa'), edge('b', 'fb'), edge('fa', 'u'), edge('fb', 'u')],
    };
    expect(liveReads(graph, 'u')).toEqual({
      tables: ['flowforge.raw_trades'],
      symbolsByTable: { 'flowforge.raw_trades': ['AAPL', 'GS'] },
    });
  });
});
