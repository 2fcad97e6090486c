import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useNodeAnalysis } from './analysis.ts';
import { describeIssues, errorsOnly } from './messages.ts';
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
  const problems = describeIssues(type, data, issues);
  const errors = errorsOnly(problems);
  const nextStep = problems.find((p) => p.tone === 'todo');
  const summary = summarizeConfig(type, data);
  return (
    <div
      data-testid={`node-${type}`}
      data-node-id={id}
      className={`relative min-w-44 max-w-60 rounded-lg border-l-4 ${kind.inputs.kind === 'handles' ? 'pl-7' : ''} ${groupColor[kind.group]} bg-white px-3 py-2 shadow-sm ring-1 ${errors.length > 0 ? 'ring-red-400' : 'ring-slate-200'}`}
    >
      {kind.inputs.kind === 'one' || kind.inputs.kind === 'many' ? (
        <Handle
          type="target"
          position={Position.Left}
          role="button"
          aria-label={`${kind.label} input`}
          title={`${kind.label} input: drag from here to add or connect what feeds it`}
        />
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
                role="button"
                aria-label={`${kind.label} ${handle} input`}
                title={`${kind.label} ${handle} input`}
              >
                {/* Inside the node, right of the handle: edges arrive from the left and never cover it. */}
                <span className="ff-handle-label pointer-events-none absolute left-4 top-1/2 -translate-y-1/2 rounded bg-violet-50 px-1 text-[10px] font-semibold text-violet-700">
                  {handle === 'left' ? 'L' : handle === 'right' ? 'R' : handle}
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
        {summary || (nextStep ? '' : 'Not configured')}
      </div>
      {nextStep && errors.length === 0 ? (
        <div className="truncate text-[11px] text-sky-700" data-testid="node-next-step">
          → {nextStep.message}
        </div>
      ) : null}
      {columns ? <div className="mt-0.5 text-[10px] text-slate-500">{columns.length} columns</div> : null}
      {errors.length > 0 ? (
        <span
          role="status"
          aria-label={`${errors.length} problem${errors.length > 1 ? 's' : ''}: ${errors.map((i) => i.message).join('; ')}`}
          data-testid="node-error-badge"
          title={errors.map((i) => i.message).join('\n')}
          className="absolute -right-2 -top-2 rounded-full bg-red-600 px-1.5 text-xs font-bold text-white shadow"
        >
          {errors.length}
        </span>
      ) : null}
      {kind.terminal ? null : (
        <Handle
          type="source"
          position={Position.Right}
          role="button"
          aria-label={`${kind.label} output`}
          title={`${kind.label} output: drag to a node to connect, or onto empty canvas to add one`}
        />
      )}
    </div>
  );
}

export const FlowNode = memo(FlowNodeImpl);
