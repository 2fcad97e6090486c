import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';

/** Who the edge thinks we are; in embedded mode that is the automatic development tenant. */
export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: ({ signal }) => api.me(signal),
    staleTime: Infinity,
    retry: false,
  });
}
