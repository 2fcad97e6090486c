import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useNodeAnalysis } from './analysis.ts';
import { nodeKind } from './node-catalog.ts';
import { summarizeConfig } from '../api/node-summary.ts';
import type { CanvasNode } from './graph.ts';

const groupColor: Record<string, string> = {
  Input: 'border-sky-400',
  Prepare: 'border-emerald-400',
  Join: 'border-violet-400',
  Aggregate: 'border-amber-400',
  Output: 'border-slate-500',
  Charts: 'border-pink-400',
};

/** The one component behind every node type: the kind decides handles and colour, the engine decides the badge. */
function FlowNodeImpl({ id, type, data }: NodeProps<CanvasNode>) {
  const kind = nodeKind(type);
  const { issues, columns } = useNodeAnalysis(id);
  const summary = summarizeConfig(type, data);
  return (
    <div
      data-testid={`node-${type}`}
      data-node-id={id}
      className={`relative min-w-44 max-w-60 rounded-lg border-l-4 ${groupColor[kind.group]} bg-white px-3 py-2 shadow-sm ring-1 ring-slate-200`}
    >
      {kind.inputs.kind === 'one' || kind.inputs.kind === 'many' ? (
        <Handle type="target" position={Position.Left} />
      ) : null}
      {kind.inputs.kind === 'handles'
        ? kind.inputs.handles.map((handle, i, all) => {
            const top = `${((i + 1) * 100) / (all.length + 1)}%`;
            return (
              <Handle
                key={handle}
                type="target"
                id={handle}
                position={Position.Left}
                style={{ top }}
                title={`${handle} input`}
              >
                <span className="pointer-events-none absolute right-2 -translate-y-1/2 text-[10px] text-slate-400">
                  {handle[0]!.toUpperCase()}
                </span>
              </Handle>
            );
          })
        : null}
      <div className="flex items-center gap-2">
        <span aria-hidden className="w-5 text-center text-lg leading-none">
          {kind.icon}
        </span>
        <span className="text-sm font-semibold">{kind.label}</span>
      </div>
      <div className="mt-1 truncate text-xs text-slate-500" title={summary}>
        {summary || 'Not configured'}
      </div>
      {columns ? <div className="mt-0.5 text-[10px] text-slate-400">{columns.length} columns</div> : null}
      {issues.length > 0 ? (
        <span
          role="status"
          data-testid="node-error-badge"
          title={issues.map((i) => i.message).join('\n')}
          className="absolute -right-2 -top-2 rounded-full bg-red-600 px-1.5 text-xs font-bold text-white shadow"
        >
          {issues.length}
        </span>
      ) : null}
      {kind.terminal ? null : <Handle type="source" position={Position.Right} />}
    </div>
  );
}

export const FlowNode = memo(FlowNodeImpl);
