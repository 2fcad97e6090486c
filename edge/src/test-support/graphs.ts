/** Graphs in the engine's contract (issue 3): React Flow JSON, config in `data`. */
export const node = (id: string, type: string, data: unknown) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data,
});
export const edge = (source: string, target: string, targetHandle?: string) => ({
  id: `${source}->${target}`,
  source,
  target,
  ...(targetHandle ? { targetHandle } : {}),
});

/** raw_trades (our seeded tape only) → filter → select → sort. */
export function tradesGraph(opts: { symbols?: string[]; limitTo?: string[] } = {}) {
  const conditions: unknown[] = [{ column: 'trade_id', op: 'LIKE', value: 'edge-seed-%' }];
  if (opts.symbols) conditions.push({ column: 'symbol', op: 'IN', value: opts.symbols });
  return {
    nodes: [
      node('src', 'data_source', { database: 'flowforge', table: 'raw_trades' }),
      node('flt', 'filter', { logic: 'AND', conditions }),
      node('sel', 'select', {
        columns: opts.limitTo ?? ['trade_id', 'event_time', 'symbol', 'side', 'quantity', 'price'],
      }),
      node('srt', 'sort', { sorts: [{ column: 'trade_id', direction: 'ASC' }] }),
    ],
    edges: [edge('src', 'flt'), edge('flt', 'sel'), edge('sel', 'srt')],
  };
}

/** Per-symbol totals: source → filter → group_by. */
export function totalsGraph() {
  return {
    nodes: [
      node('src', 'data_source', { database: 'flowforge', table: 'raw_trades' }),
      node('flt', 'filter', {
        logic: 'AND',
        conditions: [{ column: 'trade_id', op: 'LIKE', value: 'edge-seed-%' }],
      }),
      node('grp', 'group_by', {
        group_by: ['symbol'],
        aggregations: [
          { function: 'count', column: '*' },
          { function: 'sum', column: 'quantity', alias: 'volume' },
        ],
      }),
    ],
    edges: [edge('src', 'flt'), edge('flt', 'grp')],
  };
}
