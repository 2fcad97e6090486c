import { useQuery } from '@tanstack/react-query';
import type { Catalog } from '@flowforge/edge/workflow';
import { api } from './client.ts';

/** A catalog table with what the store says about it beyond its columns (the engine needs only the columns). */
export type CatalogEntry = Catalog[number] & { description?: string; row_count?: number };

/**
 * The tenant's catalog, parsed with the engine's own schema so types arrive normalized. The engine (and zod) load with
 * the first catalog read, not with every page that may read one: a dashboard reads it only when a picker opens.
 */
export function useCatalog(enabled = true) {
  return useQuery({
    queryKey: ['catalog'],
    enabled,
    queryFn: async ({ signal }): Promise<CatalogEntry[]> => {
      const [{ tables }, { catalogSchema }] = await Promise.all([
        api.catalog(signal),
        import('@flowforge/edge/workflow'),
      ]);
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
