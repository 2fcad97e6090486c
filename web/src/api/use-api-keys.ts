import type { ApiKeyCreate } from '@flowforge/edge/api-types';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

const KEYS = ['api-keys'] as const;

/** The tenant's API keys with create and revoke, shared by the admin keys page and a widget's Embed… dialog. */
export function useApiKeys() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: KEYS });
  const list = useQuery({ queryKey: KEYS, queryFn: ({ signal }) => api.listApiKeys(signal) });
  const create = useMutation({
    mutationFn: (body: ApiKeyCreate) => api.createApiKey(body),
    onSuccess: () => void refresh(),
  });
  const revoke = useMutation({ mutationFn: api.revokeApiKey, onSuccess: () => void refresh() });
  return { list, create, revoke };
}
