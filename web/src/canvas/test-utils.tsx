import type { Catalog, CatalogInput } from '@flowforge/edge/workflow';
import { catalogSchema } from '@flowforge/edge/workflow';
import { ReactFlowProvider } from '@xyflow/react';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { AnalysisProvider } from './analysis.ts';
import type { WorkflowGraph } from './graph.ts';
import { createCanvasStore, type CanvasStore } from './store.ts';
import { CanvasStoreProvider } from './store-context.tsx';

export const TRADES_CATALOG: Catalog = catalogSchema.parse([
  {
    database: 'flowforge',
    table: 'raw_trades',
    store: 'duckdb',
    columns: [
      { name: 'trade_id', type: 'string' },
      { name: 'event_time', type: 'datetime' },
      { name: 'symbol', type: 'string' },
      { name: 'side', type: 'string' },
      { name: 'quantity', type: 'decimal(18,4)' },
      { name: 'price', type: 'decimal(18,6)' },
      { name: 'notional', type: 'decimal(18,4)' },
    ],
  },
] satisfies CatalogInput);

/** Renders `ui` against a real canvas store and the real engine analysis: no mocks between panel and engine. */
export function renderWithCanvas(
  ui: ReactNode,
  graph: WorkflowGraph,
  catalog: Catalog = TRADES_CATALOG,
): { store: CanvasStore } {
  const store = createCanvasStore({ graph });
  render(
    <CanvasStoreProvider store={store}>
      <ReactFlowProvider>
        <AnalysisProvider catalog={catalog}>{ui}</AnalysisProvider>
      </ReactFlowProvider>
    </CanvasStoreProvider>,
  );
  return { store };
}

export const sourceToFilter = (filterData: Record<string, unknown>): WorkflowGraph => ({
  nodes: [
    {
      id: 'src',
      type: 'data_source',
      position: { x: 0, y: 0 },
      data: { database: 'flowforge', table: 'raw_trades' },
    },
    { id: 'f', type: 'filter', position: { x: 200, y: 0 }, data: filterData },
  ],
  edges: [{ id: 'e1', source: 'src', target: 'f' }],
});
