import { useQuery } from '@tanstack/react-query';
import { catalogSchema, type Catalog } from '@flowforge/edge/workflow';
import { api } from './client.ts';

/** The tenant's catalog, parsed with the engine's own schema so types arrive normalized. */
export function useCatalog(enabled = true) {
  return useQuery({
    queryKey: ['catalog'],
    enabled,
    queryFn: async ({ signal }): Promise<Catalog> => catalogSchema.parse((await api.catalog(signal)).tables),
    staleTime: 60_000,
  });
}
