import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type IsValidConnection,
} from '@xyflow/react';
import { useCallback, type DragEvent } from 'react';
import { checkConnection } from './connect.ts';
import { FlowNode } from './FlowNode.tsx';
import { NODE_KINDS } from './node-catalog.ts';
import { DRAG_MIME } from './Palette.tsx';
import { useCanvas, useCanvasStoreApi } from './store-context.tsx';
import { Toast } from '../ui/Toast.tsx';

const nodeTypes = Object.fromEntries([...NODE_KINDS.keys()].map((type) => [type, FlowNode]));

/** `readOnly`: nodes can be looked at and selected (to read their settings), never moved, connected or dropped. */
export function Canvas({ readOnly = false }: { readOnly?: boolean }) {
  const store = useCanvasStoreApi();
  const nodes = useCanvas((s) => s.nodes);
  const edges = useCanvas((s) => s.edges);
  const refusal = useCanvas((s) => s.refusal);
  const { screenToFlowPosition } = useReactFlow();
  const state = store.getState();

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const type = event.dataTransfer.getData(DRAG_MIME);
      if (!NODE_KINDS.has(type)) return;
      store.getState().addNode(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [store, screenToFlowPosition],
  );
  const isValidConnection: IsValidConnection = useCallback(
    (c: Connection | Edge) =>
      checkConnection(store.getState().nodes, store.getState().edges, {
        source: c.source,
        target: c.target,
        sourceHandle: c.sourceHandle ?? null,
        targetHandle: c.targetHandle ?? null,
      }).ok,
    [store],
  );

  return (
    <div
      className="relative h-full w-full"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
      }}
      onDrop={readOnly ? undefined : onDrop}
      data-testid="canvas"
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={state.onNodesChange}
        onEdgesChange={state.onEdgesChange}
        onConnect={(c) => void store.getState().connect(c)}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={!readOnly}
        isValidConnection={isValidConnection}
        onConnectEnd={(_event, connectionState) => {
          // Dropping on a handle that isValidConnection refused: say why instead of silently doing nothing.
          const c = connectionState;
          if (!c.isValid && c.fromNode && c.toNode) {
            store.getState().connect({
              source: c.fromNode.id,
              target: c.toNode.id,
              sourceHandle: c.fromHandle?.id ?? null,
              targetHandle: c.toHandle?.id ?? null,
            });
          }
        }}
        onNodeClick={(_e, node) => store.getState().setActiveNode(node.id)}
        onPaneClick={() => store.getState().setActiveNode(null)}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        <MiniMap pannable zoomable className="!bg-white" />
        <Controls />
      </ReactFlow>
      {nodes.length === 0 ? (
        <div className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-slate-400">
          Drag a Data Source from the palette to start.
        </div>
      ) : null}
      <Toast message={refusal} onClose={state.dismissRefusal} />
    </div>
  );
}
