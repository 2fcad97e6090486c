import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { useCanvasStoreApi } from './store-context.tsx';

export function VersionHistory({ workflowId, onClose }: { workflowId: string; onClose: () => void }) {
  const store = useCanvasStoreApi();
  const queryClient = useQueryClient();
  const versions = useQuery({
    queryKey: ['versions', workflowId],
    queryFn: ({ signal }) => api.listVersions(workflowId, signal),
  });
  const restore = useMutation({
    mutationFn: async (version: number) => {
      const restored = await api.restoreVersion(workflowId, version);
      const loaded = store
        .getState()
        .load({ id: restored.id, name: restored.name, version: restored.version }, restored.graph);
      if (!loaded.ok) throw new Error(loaded.message);
      return restored;
    },
    onSuccess: (restored) => {
      queryClient.setQueryData(['workflow', workflowId], restored);
      void queryClient.invalidateQueries({ queryKey: ['versions', workflowId] });
      onClose();
    },
  });
  return (
    <div className="space-y-2 p-3" data-testid="version-history">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold">Version history</h2>
        <button className="text-xs text-slate-500 hover:underline" onClick={onClose}>
          Close
        </button>
      </div>
      {versions.isPending ? <p className="text-xs text-slate-500">Loading…</p> : null}
      {versions.isError ? (
        <p role="alert" className="text-xs text-red-600">
          {versions.error.message}
        </p>
      ) : null}
      {restore.isError ? (
        <p role="alert" className="text-xs text-red-600">
          Restore failed: {restore.error.message}
        </p>
      ) : null}
      <ol className="space-y-1">
        {versions.data?.versions.map((v) => (
          <li
            key={v.version}
            className="flex items-center justify-between rounded border border-slate-200 px-2 py-1 text-xs"
          >
            <span>
              <span className="font-semibold">v{v.version}</span> {v.name}
              <span className="block text-slate-500">{new Date(v.created_at).toLocaleString()}</span>
            </span>
            <button
              className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100 disabled:opacity-40"
              disabled={restore.isPending}
              onClick={() => restore.mutate(v.version)}
            >
              Restore
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}
