import {
  Background,
  ControlButton,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type IsValidConnection,
  type OnConnectEnd,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Link } from 'react-router';
import { checkConnection } from './connect.ts';
import { FlowEdge } from './FlowEdge.tsx';
import { FlowNode } from './FlowNode.tsx';
import { NODE_KINDS, nodeKind } from './node-catalog.ts';
import { DRAG_MIME } from './Palette.tsx';
import { freeSpot } from './placement.ts';
import { QuickAdd, type DraggedEnd } from './QuickAdd.tsx';
import { useCanvas, useCanvasStoreApi } from './store-context.tsx';
import { summarizeConfig } from '../api/node-summary.ts';
import { Toast } from '../ui/Toast.tsx';

const nodeTypes = Object.fromEntries([...NODE_KINDS.keys()].map((type) => [type, FlowNode]));
const edgeTypes = { default: FlowEdge };
/** An arrowhead on every edge: which way the data flows, also when an edge has to go round. */
const EDGE_OPTIONS = { markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } };

/** Fit View never zooms past 100 %: a two-node graph should look like nodes, not posters. */
const FIT_VIEW = { maxZoom: 1, padding: 0.15 };
/** Below this window width the minimap would cover the nodes it maps (it starts hidden there). */
const MINIMAP_MIN_WIDTH = 1280;

interface PendingQuickAdd {
  /** Where the menu opens, relative to the canvas. */
  at: { x: number; y: number };
  /** Where the new node goes, in flow coordinates. */
  position: { x: number; y: number };
  end: DraggedEnd;
  nodeId: string;
  handleId: string | null;
}

/**
 * The palette's click: with a node selected that can feed the new one, add it downstream (connected, to the right);
 * otherwise in a free spot in the middle of the visible canvas.
 */
export function useAddFromPalette(): (type: string) => void {
  const store = useCanvasStoreApi();
  const { screenToFlowPosition, flowToScreenPosition, fitView } = useReactFlow();
  return useCallback(
    (type: string) => {
      const state = store.getState();
      const pane = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
      let id = state.addAfterActive(type);
      if (id === null) {
        const center = pane
          ? screenToFlowPosition({ x: pane.left + pane.width / 3, y: pane.top + pane.height / 3 })
          : { x: 0, y: 0 };
        id = state.addNode(type, freeSpot(state.nodes, center));
      }
      // A node added to the right of the last one may land off screen: bring the graph back into view.
      const added = store.getState().nodes.find((n) => n.id === id)!;
      const corner = flowToScreenPosition({ x: added.position.x + 240, y: added.position.y + 80 });
      if (pane && (corner.x > pane.right || corner.y > pane.bottom))
        requestAnimationFrame(() => void fitView(FIT_VIEW));
    },
    [store, screenToFlowPosition, flowToScreenPosition, fitView],
  );
}

/** `readOnly`: nodes can be looked at and selected (to read their settings), never moved, connected or dropped. */
export function Canvas({ readOnly = false }: { readOnly?: boolean }) {
  const store = useCanvasStoreApi();
  const storeNodes = useCanvas((s) => s.nodes);
  const edges = useCanvas((s) => s.edges);
  const refusal = useCanvas((s) => s.refusal);
  const viewRevision = useCanvas((s) => s.viewRevision);
  const { screenToFlowPosition, fitView } = useReactFlow();
  const state = store.getState();
  const container = useRef<HTMLDivElement>(null);
  const [quickAdd, setQuickAdd] = useState<PendingQuickAdd | null>(null);
  const [showMinimap, setShowMinimap] = useState(() => window.innerWidth >= MINIMAP_MIN_WIDTH);

  // Every node gets an accessible name (screen readers and keyboard users land on it with Tab).
  const nodes = useMemo(
    () =>
      storeNodes.map((n) => {
        const summary = summarizeConfig(n.type ?? '', n.data);
        return { ...n, ariaLabel: `${nodeKind(n.type ?? '').label} node: ${summary || 'not configured'}` };
      }),
    [storeNodes],
  );

  // The view follows the graph until the user pans or zooms: a load or auto-layout fits it, and so does a resize of
  // the canvas (a panel folding, the preview's divider) as long as the user has not moved the view since.
  const followsGraph = useRef(true);
  useEffect(() => {
    if (viewRevision === 0) return;
    followsGraph.current = true;
    // After React Flow measured the moved nodes, or the fit uses stale sizes.
    const frame = requestAnimationFrame(() => void fitView(FIT_VIEW));
    return () => cancelAnimationFrame(frame);
  }, [viewRevision, fitView]);
  useEffect(() => {
    let frame = 0;
    // A frame later: React Flow's own observer must have taken the new size first, or the fit uses the old one.
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (followsGraph.current) void fitView(FIT_VIEW);
      });
    });
    observer.observe(container.current!);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [fitView]);

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const type = event.dataTransfer.getData(DRAG_MIME);
      if (!NODE_KINDS.has(type)) return;
      const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const s = store.getState();
      if (s.addAfterActive(type, position) === null) s.addNode(type, position);
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
  const onConnectEnd: OnConnectEnd = useCallback(
    (event, c) => {
      if (!c.fromNode || !c.fromHandle) return;
      if (c.toNode) {
        // Dropping on a handle that isValidConnection refused: say why instead of silently doing nothing.
        if (!c.isValid) {
          store.getState().connect({
            source: c.fromNode.id,
            target: c.toNode.id,
            sourceHandle: c.fromHandle.id ?? null,
            targetHandle: c.toHandle?.id ?? null,
          });
        }
        return;
      }
      // Let go on empty canvas: offer the nodes that fit at the other end, right there.
      const point = 'changedTouches' in event ? event.changedTouches[0]! : event;
      const box = container.current!.getBoundingClientRect();
      setQuickAdd({
        // Kept inside the canvas (the menu is ~230 × 340 px) so it never covers the settings panel.
        at: {
          x: Math.max(0, Math.min(point.clientX - box.left, box.width - 230)),
          y: Math.max(0, Math.min(point.clientY - box.top, box.height - 340)),
        },
        // The new node's handle lands under the pointer: its input on the left, or its output on the right.
        position: screenToFlowPosition({
          x: point.clientX - (c.fromHandle.type === 'source' ? 0 : 200),
          y: point.clientY - 30,
        }),
        end: c.fromHandle.type,
        nodeId: c.fromNode.id,
        handleId: c.fromHandle.id ?? null,
      });
    },
    [store, screenToFlowPosition],
  );
  const closeQuickAdd = useCallback(() => setQuickAdd(null), []);

  return (
    <div
      ref={container}
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
        edgeTypes={edgeTypes}
        defaultEdgeOptions={EDGE_OPTIONS}
        onNodesChange={state.onNodesChange}
        onEdgesChange={state.onEdgesChange}
        onConnect={(c) => void store.getState().connect(c)}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={!readOnly}
        isValidConnection={isValidConnection}
        onConnectEnd={readOnly ? undefined : onConnectEnd}
        onNodeClick={(_e, node) => store.getState().setActiveNode(node.id)}
        onSelectionChange={({ nodes: selected }) => {
          // Keyboard selection (Tab to a node, Enter) opens its settings like a click does.
          if (selected.length === 1 && selected[0]!.id !== store.getState().activeNodeId)
            store.getState().setActiveNode(selected[0]!.id);
        }}
        onPaneClick={() => store.getState().setActiveNode(null)}
        onMoveStart={(event) => {
          if (event) followsGraph.current = false; // a user's pan or zoom (programmatic moves have no event)
        }}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        fitView
        minZoom={0.2}
        fitViewOptions={FIT_VIEW}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        {showMinimap ? (
          <MiniMap
            pannable
            zoomable
            className="!bg-white"
            ariaLabel="Minimap"
            style={{ width: 160, height: 100 }}
          />
        ) : null}
        <Controls fitViewOptions={FIT_VIEW}>
          <ControlButton
            onClick={() => setShowMinimap((v) => !v)}
            title={showMinimap ? 'Hide the minimap' : 'Show the minimap'}
            aria-label={showMinimap ? 'Hide the minimap' : 'Show the minimap'}
            aria-pressed={showMinimap}
            data-testid="toggle-minimap"
          >
            <span aria-hidden>▣</span>
          </ControlButton>
        </Controls>
      </ReactFlow>
      {storeNodes.length === 0 ? (
        <div className="pointer-events-none absolute inset-0 flex flex-col items-center justify-center gap-1 text-sm text-slate-500">
          <p>Click or drag a Data Source from the palette to start.</p>
          {readOnly ? null : (
            <p>
              …or{' '}
              <Link className="pointer-events-auto text-indigo-700 underline" to="/#templates-heading">
                start from a template
              </Link>
              .
            </p>
          )}
        </div>
      ) : null}
      {quickAdd ? (
        <QuickAdd
          at={quickAdd.at}
          end={quickAdd.end}
          onClose={closeQuickAdd}
          onPick={(type) => {
            store
              .getState()
              .addNode(
                type,
                quickAdd.position,
                quickAdd.end === 'source'
                  ? { source: quickAdd.nodeId }
                  : { target: quickAdd.nodeId, targetHandle: quickAdd.handleId },
              );
            setQuickAdd(null);
          }}
        />
      ) : null}
      <Toast message={refusal} onClose={state.dismissRefusal} />
    </div>
  );
}
