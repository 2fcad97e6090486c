import { useQuery } from '@tanstack/react-query';
import { catalogSchema, type Catalog } from '@flowforge/edge/workflow';
import { api } from './client.ts';

/** A catalog table with what the store says about it beyond its columns (the engine needs only the columns). */
export type CatalogEntry = Catalog[number] & { description?: string; row_count?: number };

/** The tenant's catalog, parsed with the engine's own schema so types arrive normalized. */
export function useCatalog(enabled = true) {
  return useQuery({
    queryKey: ['catalog'],
    enabled,
    queryFn: async ({ signal }): Promise<CatalogEntry[]> => {
      const { tables } = await api.catalog(signal);
      return catalogSchema.parse(tables).map((t, i) => {
        const { description, row_count } = tables[i]!;
        return {
          ...t,
          ...(description ? { description } : {}),
          ...(row_count !== undefined ? { row_count } : {}),
        };
      });
    },
    staleTime: 60_000,
  });
}
