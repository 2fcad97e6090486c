import type { CatalogEntry } from '../api/use-catalog.ts';
import { useNodeAnalysis, useNodeInputs } from './analysis.ts';
import { describeIssues, errorsOnly } from './messages.ts';
import { nodeKind } from './node-catalog.ts';
import { PANELS } from './panels/index.tsx';
import { useCanvas } from './store-context.tsx';

export function ConfigPanel({ catalog }: { catalog: readonly CatalogEntry[] }) {
  const node = useCanvas((s) => s.nodes.find((n) => n.id === s.activeNodeId));
  const update = useCanvas((s) => s.updateNodeData);
  if (!node) {
    return (
      <p className="p-4 text-sm text-slate-500">
        Select a node to configure it. Drag nodes in from the palette.
      </p>
    );
  }
  return (
    <NodeConfig
      key={node.id}
      nodeId={node.id}
      type={node.type ?? ''}
      data={node.data}
      catalog={catalog}
      update={update}
    />
  );
}

function NodeConfig({
  nodeId,
  type,
  data,
  catalog,
  update,
}: {
  nodeId: string;
  type: string;
  data: Record<string, unknown>;
  catalog: readonly CatalogEntry[];
  update: (id: string, data: Record<string, unknown>, key?: string) => void;
}) {
  const { issues, columns } = useNodeAnalysis(nodeId);
  const problems = describeIssues(type, data, issues);
  // Errors tied to a field are said next to that field; the list above says the rest, once.
  const errors = errorsOnly(problems);
  const general = problems.filter((p) => p.tone === 'todo' || !p.field);
  const inputs = useNodeInputs(nodeId);
  const kind = nodeKind(type);
  const Panel = PANELS[type];
  return (
    <div className="space-y-3 p-3" data-testid="config-panel">
      <div>
        <h2 className="text-sm font-semibold">
          {kind.icon} {kind.label}
        </h2>
        <p className="text-xs text-slate-500">{kind.description}</p>
      </div>
      {general.length > 0 ? (
        <ul className="space-y-1 text-xs" data-testid="config-issues">
          {general.map((p) => (
            <li
              key={p.message}
              className={
                p.tone === 'todo'
                  ? 'rounded border border-sky-200 bg-sky-50 px-2 py-1 text-sky-800'
                  : 'rounded border border-red-200 bg-red-50 px-2 py-1 text-red-700'
              }
              data-tone={p.tone}
            >
              {p.tone === 'todo' ? '→ ' : ''}
              {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      {Panel ? (
        <Panel
          nodeId={nodeId}
          data={data as never}
          inputs={inputs}
          issues={errors}
          catalog={catalog}
          update={(next: Record<string, unknown>, key?: string) => update(nodeId, next, key)}
        />
      ) : null}
      {columns ? (
        <details className="text-xs text-slate-500">
          <summary>Output: {columns.length} columns</summary>
          <ul className="mt-1">
            {columns.map((c) => (
              <li key={c.name}>
                {c.name} <span className="text-slate-500">{c.type}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
