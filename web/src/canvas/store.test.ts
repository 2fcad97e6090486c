import { GRAPH_VERSION } from '@flowforge/edge/workflow';
import { describe, expect, it } from 'vitest';
import { DOWNSTREAM_STEP } from './placement.ts';
import { createCanvasStore, HISTORY_LIMIT } from './store.ts';

function pipeline() {
  const store = createCanvasStore();
  const s = store.getState();
  const src = s.addNode('data_source', { x: 0, y: 0 });
  const filter = s.addNode('filter', { x: 200, y: 0 });
  const view = s.addNode('table_view', { x: 400, y: 0 });
  s.connect({ source: src, target: filter, sourceHandle: null, targetHandle: null });
  s.connect({ source: filter, target: view, sourceHandle: null, targetHandle: null });
  return { store, src, filter, view };
}

describe('canvas store', () => {
  it('adds nodes with their default config and connects them', () => {
    const { store, filter } = pipeline();
    const { nodes, edges } = store.getState();
    expect(nodes.map((n) => n.type)).toEqual(['data_source', 'filter', 'table_view']);
    expect(nodes.find((n) => n.id === filter)!.data).toEqual({ logic: 'AND', conditions: [] });
    expect(edges).toHaveLength(2);
    expect(
      store
        .getState()
        .graph()
        .edges.map((e) => [e.source, e.target]),
    ).toEqual(edges.map((e) => [e.source, e.target]));
  });

  it('refuses bad connections with a reason and keeps the graph unchanged', () => {
    const { store, src, filter, view } = pipeline();
    const s = store.getState();
    expect(s.connect({ source: view, target: filter, sourceHandle: null, targetHandle: null })).toEqual({
      ok: false,
      reason: 'Table View is an output: nothing can follow it',
    });
    expect(s.connect({ source: filter, target: src, sourceHandle: null, targetHandle: null })).toMatchObject({
      ok: false,
    });
    const sort = s.addNode('sort', { x: 0, y: 100 });
    expect(s.connect({ source: sort, target: filter, sourceHandle: null, targetHandle: null })).toEqual({
      ok: false,
      reason: 'Filter already has an input: delete that connection first',
    });
    s.connect({ source: filter, target: sort, sourceHandle: null, targetHandle: null });
    const filter2 = s.addNode('filter', { x: 0, y: 200 });
    s.connect({ source: sort, target: filter2, sourceHandle: null, targetHandle: null });
    const union = s.addNode('union', { x: 0, y: 300 });
    s.connect({ source: filter2, target: union, sourceHandle: null, targetHandle: null });
    // filter2 is downstream of filter: closing the loop must be refused.
    const cyc = store
      .getState()
      .connect({ source: union, target: sort, sourceHandle: null, targetHandle: null });
    expect(cyc.ok).toBe(false);
    expect(store.getState().refusal).toMatch(/already has an input|cycle/);
    expect(store.getState().edges).toHaveLength(5);
  });

  it('refuses a connection that closes a cycle', () => {
    const store = createCanvasStore();
    const s = store.getState();
    const src = s.addNode('data_source', { x: 0, y: 0 });
    const union = s.addNode('union', { x: 200, y: 0 });
    const sort = s.addNode('sort', { x: 400, y: 0 });
    s.connect({ source: src, target: union, sourceHandle: null, targetHandle: null });
    s.connect({ source: union, target: sort, sourceHandle: null, targetHandle: null });
    // Union takes any number of inputs, so only the cycle rule can refuse this one.
    expect(s.connect({ source: sort, target: union, sourceHandle: null, targetHandle: null })).toEqual({
      ok: false,
      reason: 'This connection would create a cycle',
    });
    expect(store.getState().edges).toHaveLength(2);
  });

  it('routes join inputs to left and right, once each', () => {
    const store = createCanvasStore();
    const s = store.getState();
    const a = s.addNode('data_source', { x: 0, y: 0 });
    const b = s.addNode('data_source', { x: 0, y: 100 });
    const join = s.addNode('join', { x: 200, y: 0 });
    expect(s.connect({ source: a, target: join, sourceHandle: null, targetHandle: null }).ok).toBe(false);
    expect(s.connect({ source: a, target: join, sourceHandle: null, targetHandle: 'left' }).ok).toBe(true);
    expect(s.connect({ source: b, target: join, sourceHandle: null, targetHandle: 'left' })).toEqual({
      ok: false,
      reason: 'The Join’s left input is already connected',
    });
    expect(s.connect({ source: b, target: join, sourceHandle: null, targetHandle: 'right' }).ok).toBe(true);
  });

  it('adds a palette node after the active node: connected, one column right, one undo step', () => {
    const store = createCanvasStore();
    const s = store.getState();
    const src = s.addNode('data_source', { x: 100, y: 50 });
    const filter = store.getState().addAfterActive('filter');
    const st = store.getState();
    expect(st.nodes.find((n) => n.id === filter)!.position).toEqual({ x: 100 + DOWNSTREAM_STEP, y: 50 });
    expect(st.edges.map((e) => [e.source, e.target, e.targetHandle ?? null])).toEqual([[src, filter, null]]);
    expect(st.activeNodeId).toBe(filter);
    // A second Filter after the same source goes below the first one, not on top of it.
    st.setActiveNode(src);
    const second = store.getState().addAfterActive('filter');
    expect(store.getState().nodes.find((n) => n.id === second)!.position).toEqual({
      x: 100 + DOWNSTREAM_STEP,
      y: 150,
    });
    store.getState().undo();
    expect(store.getState().nodes.map((n) => n.id)).toEqual([src, filter]);
    expect(store.getState().edges).toHaveLength(1);
  });

  it('adds after the active node only when it can feed the new one', () => {
    const store = createCanvasStore();
    expect(store.getState().addAfterActive('filter')).toBeNull();
    store.getState().addNode('data_source', { x: 0, y: 0 });
    expect(store.getState().addAfterActive('data_source')).toBeNull();
    store.getState().addAfterActive('bar_chart');
    expect(store.getState().addAfterActive('filter')).toBeNull();
    // A Join takes its first input on the left handle.
    const { store: s2, filter } = pipeline();
    s2.getState().setActiveNode(filter);
    const join = s2.getState().addAfterActive('join', { x: 7, y: 9 });
    const edge = s2.getState().edges.find((e) => e.target === join)!;
    expect([edge.source, edge.targetHandle]).toEqual([filter, 'left']);
    expect(s2.getState().nodes.find((n) => n.id === join)!.position).toEqual({ x: 7, y: 9 });
  });

  it('adds a node feeding an input, and says why when that input is taken', () => {
    const { store, filter } = pipeline();
    const sort = store.getState().addNode('sort', { x: 0, y: 0 }, { target: filter, targetHandle: null });
    expect(store.getState().edges.some((e) => e.source === sort)).toBe(false);
    expect(store.getState().refusal).toBe('Filter already has an input: delete that connection first');
    expect(store.getState().nodes.some((n) => n.id === sort)).toBe(true);
  });

  it('undoes and redoes every graph edit, coalescing keystrokes', () => {
    const { store, filter } = pipeline();
    const s = store.getState();
    s.updateNodeData(
      filter,
      { logic: 'AND', conditions: [{ column: 'symbol', op: '=', value: 'A' }] },
      'value',
    );
    s.updateNodeData(
      filter,
      { logic: 'AND', conditions: [{ column: 'symbol', op: '=', value: 'AA' }] },
      'value',
    );
    s.updateNodeData(
      filter,
      { logic: 'AND', conditions: [{ column: 'symbol', op: '=', value: 'AAPL' }] },
      'value',
    );
    const data = () => store.getState().nodes.find((n) => n.id === filter)?.data;
    expect(data()).toMatchObject({ conditions: [{ value: 'AAPL' }] });
    store.getState().undo();
    expect(data()).toEqual({ logic: 'AND', conditions: [] });
    store.getState().redo();
    expect(data()).toMatchObject({ conditions: [{ value: 'AAPL' }] });
    store.getState().undo(); // the typing
    store.getState().undo(); // edge filter → view
    store.getState().undo(); // edge source → filter
    expect(store.getState().edges).toHaveLength(0);
    store.getState().undo();
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().nodes).toHaveLength(0);
    store.getState().undo(); // nothing left: a no-op
    expect(store.getState().future).toHaveLength(6);
  });

  it(`keeps at least 50 undo steps (cap ${HISTORY_LIMIT})`, () => {
    const store = createCanvasStore();
    for (let i = 0; i < 120; i++) store.getState().addNode('filter', { x: i, y: 0 });
    expect(store.getState().past).toHaveLength(HISTORY_LIMIT);
    for (let i = 0; i < 60; i++) store.getState().undo();
    expect(store.getState().nodes).toHaveLength(60);
  });

  it('deletes selection with its edges and duplicates selection with inner edges', () => {
    const { store, filter, view } = pipeline();
    store.setState((s) => ({
      nodes: s.nodes.map((n) => ({ ...n, selected: n.id === filter || n.id === view })),
    }));
    store.getState().duplicateSelected();
    let st = store.getState();
    expect(st.nodes).toHaveLength(5);
    expect(st.edges).toHaveLength(3);
    const copies = st.nodes.filter((n) => n.selected);
    expect(copies.map((n) => n.type)).toEqual(['filter', 'table_view']);
    expect(copies[0]!.position).toEqual({ x: 240, y: 40 });
    st.deleteSelected();
    st = store.getState();
    expect(st.nodes).toHaveLength(3);
    expect(st.edges).toHaveLength(2);
  });

  it('lays nodes out in columns by depth', () => {
    const { store, src, filter, view } = pipeline();
    store.getState().autoLayout();
    const pos = Object.fromEntries(store.getState().nodes.map((n) => [n.id, n.position.x]));
    expect([pos[src], pos[filter], pos[view]]).toEqual([0, 260, 520]);
  });

  it('tracks unsaved changes', () => {
    const { store } = pipeline();
    expect(store.getState().dirty).toBe(true);
    store.getState().markSaved({ id: 'w1', name: 'Mine', version: 1 });
    expect(store.getState().dirty).toBe(false);
    store.getState().rename('Yours');
    expect(store.getState().dirty).toBe(true);
  });
});

describe('canvas store: saved graph documents', () => {
  const meta = { id: 'w1', name: 'saved', version: 3 };
  const unversioned = {
    nodes: [
      { id: 'src', type: 'data_source', position: { x: 0, y: 0 }, data: { database: 'm', table: 't' } },
    ],
    edges: [],
  };

  it('opens a document saved before versioning and saves it at the current version', () => {
    const store = createCanvasStore();
    expect(store.getState().load(meta, unversioned)).toEqual({ ok: true });
    expect(store.getState().graph()).toEqual({ version: GRAPH_VERSION, ...unversioned });
    expect(store.getState().dirty).toBe(false);
  });

  it('refuses a document from a newer build and keeps what it had', () => {
    const store = createCanvasStore();
    store.getState().load(meta, unversioned);
    const result = store.getState().load(meta, { ...unversioned, nodes: [], version: GRAPH_VERSION + 1 });
    expect(result).toEqual({
      ok: false,
      message: `This workflow was saved by a newer FlowForge (graph version ${GRAPH_VERSION + 1}); this one reads versions up to ${GRAPH_VERSION}`,
    });
    expect(store.getState().nodes.map((n) => n.id)).toEqual(['src']);
  });
});
