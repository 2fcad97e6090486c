import { useQuery } from '@tanstack/react-query';
import type { Catalog } from '@flowforge/edge/workflow';
import { api } from './client.ts';
import { useCatalog } from './use-catalog.ts';

/** The table the symbol list comes from: the instrument dimension when the catalog has it, else any table with symbols. */
export function symbolTable(catalog: Catalog): { database: string; table: string } | null {
  const withSymbol = catalog.filter((t) => t.columns.some((c) => c.name === 'symbol' && c.type === 'string'));
  const table = withSymbol.find((t) => t.table === 'dim_instruments') ?? withSymbol[0];
  return table ? { database: table.database, table: table.table } : null;
}

/**
 * The symbols this tenant may see, for filter pickers (`enabled`: only once a picker opens, so a page's first
 * queries are not queued behind it): a distinct-symbol workflow run through the preview route, so
 * the tenant's symbol ACL applies as it does everywhere else.
 */
export function useSymbols(enabled = true) {
  const catalog = useCatalog(enabled);
  const source = catalog.data ? symbolTable(catalog.data) : null;
  return useQuery({
    queryKey: ['symbols', source],
    enabled: enabled && source !== null,
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }) => {
      const graph = {
        nodes: [
          { id: 'src', type: 'data_source', position: { x: 0, y: 0 }, data: source },
          { id: 'sym', type: 'unique', position: { x: 0, y: 0 }, data: { columns: ['symbol'] } },
          {
            id: 'srt',
            type: 'sort',
            position: { x: 0, y: 0 },
            data: { sorts: [{ column: 'symbol', direction: 'ASC' }] },
          },
        ],
        edges: [
          { id: 'a', source: 'src', target: 'sym' },
          { id: 'b', source: 'sym', target: 'srt' },
        ],
      };
      const result = await api.preview({ graph, target_node_id: 'srt', limit: 1000 }, signal);
      return result.rows.map((r) => String(r[0]));
    },
  });
}
