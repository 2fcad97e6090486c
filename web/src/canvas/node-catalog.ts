/**
 * What the canvas needs to know about each node type that the engine does not: palette group, label, icon, the
 * config a freshly dropped node starts with, and its handles. Schema and validity always come from the engine.
 */
export type PaletteGroup = 'Input' | 'Prepare' | 'Join' | 'Aggregate' | 'Output' | 'Charts';

export type InputHandles = 'none' | 'single' | 'left-right' | 'many';

export interface NodeKind {
  type: string;
  label: string;
  group: PaletteGroup;
  icon: string;
  description: string;
  inputs: InputHandles;
  /** Terminal nodes (outputs and charts) have no output handle. */
  terminal: boolean;
  defaults: () => Record<string, unknown>;
}

const kinds: NodeKind[] = [
  {
    type: 'data_source', label: 'Data Source', group: 'Input', icon: '🗄', inputs: 'none', terminal: false,
    description: 'Read a table from the catalog', defaults: () => ({ database: '', table: '' }),
  },
  {
    type: 'filter', label: 'Filter', group: 'Prepare', icon: '⏚', inputs: 'single', terminal: false,
    description: 'Keep rows matching conditions', defaults: () => ({ logic: 'AND', conditions: [] }),
  },
  {
    type: 'select', label: 'Select', group: 'Prepare', icon: '☰', inputs: 'single', terminal: false,
    description: 'Choose and order columns', defaults: () => ({ columns: [] }),
  },
  {
    type: 'sort', label: 'Sort', group: 'Prepare', icon: '⇅', inputs: 'single', terminal: false,
    description: 'Order rows', defaults: () => ({ sorts: [] }),
  },
  {
    type: 'formula', label: 'Formula', group: 'Prepare', icon: 'ƒ', inputs: 'single', terminal: false,
    description: 'Add computed columns', defaults: () => ({ formulas: [] }),
  },
  {
    type: 'rename', label: 'Rename', group: 'Prepare', icon: '✎', inputs: 'single', terminal: false,
    description: 'Rename columns', defaults: () => ({ renames: {} }),
  },
  {
    type: 'unique', label: 'Unique', group: 'Prepare', icon: '◇', inputs: 'single', terminal: false,
    description: 'Remove duplicate rows', defaults: () => ({}),
  },
  {
    type: 'sample', label: 'Sample', group: 'Prepare', icon: '⚄', inputs: 'single', terminal: false,
    description: 'Take a random sample', defaults: () => ({ n: 1000 }),
  },
  {
    type: 'join', label: 'Join', group: 'Join', icon: '⋈', inputs: 'left-right', terminal: false,
    description: 'Join two inputs on a key', defaults: () => ({ join_type: 'INNER', left_key: '', right_key: '' }),
  },
  {
    type: 'union', label: 'Union', group: 'Join', icon: '∪', inputs: 'many', terminal: false,
    description: 'Stack inputs with the same columns', defaults: () => ({ mode: 'ALL' }),
  },
  {
    type: 'group_by', label: 'Group By', group: 'Aggregate', icon: 'Σ', inputs: 'single', terminal: false,
    description: 'Aggregate rows by keys', defaults: () => ({ group_by: [], aggregations: [] }),
  },
  {
    type: 'table_view', label: 'Table View', group: 'Output', icon: '▦', inputs: 'single', terminal: true,
    description: 'Browse results page by page', defaults: () => ({ page: 0, page_size: 50 }),
  },
  {
    type: 'bar_chart', label: 'Bar Chart', group: 'Charts', icon: '▮', inputs: 'single', terminal: true,
    description: 'Bars per category', defaults: () => ({ x: '', y: [] }),
  },
  {
    type: 'line_chart', label: 'Line Chart', group: 'Charts', icon: '⟋', inputs: 'single', terminal: true,
    description: 'Lines over time', defaults: () => ({ x: '', y: [] }),
  },
  {
    type: 'candlestick', label: 'Candlestick', group: 'Charts', icon: '╫', inputs: 'single', terminal: true,
    description: 'OHLC candles', defaults: () => ({ time: '', open: '', high: '', low: '', close: '' }),
  },
  {
    type: 'scatter', label: 'Scatter', group: 'Charts', icon: '⁘', inputs: 'single', terminal: true,
    description: 'Points by two measures', defaults: () => ({ x: '', y: '' }),
  },
  {
    type: 'kpi', label: 'KPI', group: 'Charts', icon: '#', inputs: 'single', terminal: true,
    description: 'One headline number', defaults: () => ({ value: '' }),
  },
  {
    type: 'pivot', label: 'Pivot', group: 'Charts', icon: '⊞', inputs: 'single', terminal: true,
    description: 'Cross-tab of aggregated values', defaults: () => ({ rows: [], columns: [], values: [] }),
  },
];

export const NODE_KINDS: ReadonlyMap<string, NodeKind> = new Map(kinds.map((k) => [k.type, k]));
export const PALETTE_GROUPS: readonly PaletteGroup[] = ['Input', 'Prepare', 'Join', 'Aggregate', 'Output', 'Charts'];

export function nodeKind(type: string): NodeKind {
  const kind = NODE_KINDS.get(type);
  if (!kind) throw new Error(`Unknown node type "${type}"`);
  return kind;
}

export function searchKinds(query: string): NodeKind[] {
  const q = query.trim().toLowerCase();
  return kinds.filter(
    (k) => q === '' || k.label.toLowerCase().includes(q) || k.type.includes(q) || k.description.toLowerCase().includes(q),
  );
}
