import { NODE_TYPES } from '@flowforge/edge/workflow';

type NodeDefinition = typeof NODE_TYPES extends ReadonlyMap<string, infer D> ? D : never;
export type InputShape = NodeDefinition['inputs'];

/**
 * What the canvas adds to the engine's node definitions: palette group, label, icon and the config a freshly dropped
 * node starts with. Inputs, terminality, schema and validity always come from the engine.
 */
export type PaletteGroup = 'Input' | 'Prepare' | 'Join' | 'Aggregate' | 'Output' | 'Charts';

interface Presentation {
  type: string;
  label: string;
  group: PaletteGroup;
  icon: string;
  description: string;
  defaults: () => Record<string, unknown>;
}

export interface NodeKind extends Presentation {
  inputs: InputShape;
  /** Terminal nodes (outputs and charts) have no output handle. */
  terminal: boolean;
}

const presentations: Presentation[] = [
  {
    type: 'data_source',
    label: 'Data Source',
    group: 'Input',
    icon: '▤',
    description: 'Read a table from the catalog',
    defaults: () => ({ database: '', table: '' }),
  },
  {
    type: 'filter',
    label: 'Filter',
    group: 'Prepare',
    icon: '▽',
    description: 'Keep rows matching conditions',
    defaults: () => ({ logic: 'AND', conditions: [] }),
  },
  {
    type: 'select',
    label: 'Select',
    group: 'Prepare',
    icon: '☰',
    description: 'Choose and order columns',
    defaults: () => ({ columns: [] }),
  },
  {
    type: 'sort',
    label: 'Sort',
    group: 'Prepare',
    icon: '⇅',
    description: 'Order rows',
    defaults: () => ({ sorts: [] }),
  },
  {
    type: 'formula',
    label: 'Formula',
    group: 'Prepare',
    icon: 'ƒ',
    description: 'Add computed columns',
    defaults: () => ({ formulas: [] }),
  },
  {
    type: 'rename',
    label: 'Rename',
    group: 'Prepare',
    icon: '✎',
    description: 'Rename columns',
    defaults: () => ({ renames: {} }),
  },
  {
    type: 'unique',
    label: 'Unique',
    group: 'Prepare',
    icon: '◇',
    description: 'Remove duplicate rows',
    defaults: () => ({}),
  },
  {
    type: 'sample',
    label: 'Sample',
    group: 'Prepare',
    icon: '⚄',
    description: 'Take a random sample',
    defaults: () => ({ n: 1000 }),
  },
  {
    type: 'join',
    label: 'Join',
    group: 'Join',
    icon: '⋈',
    description: 'Join two inputs on a key',
    defaults: () => ({ join_type: 'INNER', keys: [] }),
  },
  {
    type: 'union',
    label: 'Union',
    group: 'Join',
    icon: '∪',
    description: 'Stack inputs with the same columns',
    defaults: () => ({ mode: 'ALL' }),
  },
  {
    type: 'group_by',
    label: 'Group By',
    group: 'Aggregate',
    icon: 'Σ',
    description: 'Aggregate rows by keys',
    defaults: () => ({ group_by: [], aggregations: [] }),
  },
  {
    type: 'table_view',
    label: 'Table View',
    group: 'Output',
    icon: '▦',
    description: 'Browse results page by page',
    defaults: () => ({ page: 0, page_size: 50 }),
  },
  {
    type: 'bar_chart',
    label: 'Bar Chart',
    group: 'Charts',
    icon: '▥',
    description: 'Bars per category',
    defaults: () => ({ x: '', y: [] }),
  },
  {
    type: 'line_chart',
    label: 'Line Chart',
    group: 'Charts',
    icon: '∿',
    description: 'Lines over time',
    defaults: () => ({ x: '', y: [] }),
  },
  {
    type: 'candlestick',
    label: 'Candlestick',
    group: 'Charts',
    icon: '╫',
    description: 'OHLC candles',
    defaults: () => ({ time: '', open: '', high: '', low: '', close: '' }),
  },
  {
    type: 'scatter',
    label: 'Scatter',
    group: 'Charts',
    icon: '⁘',
    description: 'Points by two measures',
    defaults: () => ({ x: '', y: '' }),
  },
  {
    type: 'kpi',
    label: 'KPI',
    group: 'Charts',
    icon: '#',
    description: 'One headline number',
    defaults: () => ({ value: '' }),
  },
  {
    type: 'pivot',
    label: 'Pivot',
    group: 'Charts',
    icon: '⊞',
    description: 'Cross-tab of aggregated values',
    defaults: () => ({ rows: [], columns: [], values: [] }),
  },
];

const kinds: NodeKind[] = presentations.map((p) => {
  const definition = NODE_TYPES.get(p.type);
  if (!definition) throw new Error(`The engine has no node type "${p.type}"`);
  return { ...p, inputs: definition.inputs, terminal: definition.terminal };
});

export const NODE_KINDS: ReadonlyMap<string, NodeKind> = new Map(kinds.map((k) => [k.type, k]));
export const PALETTE_GROUPS: readonly PaletteGroup[] = [
  'Input',
  'Prepare',
  'Join',
  'Aggregate',
  'Output',
  'Charts',
];

export function nodeKind(type: string): NodeKind {
  const kind = NODE_KINDS.get(type);
  if (!kind) throw new Error(`Unknown node type "${type}"`);
  return kind;
}

export function searchKinds(query: string): NodeKind[] {
  const q = query.trim().toLowerCase();
  return kinds.filter(
    (k) =>
      q === '' ||
      k.label.toLowerCase().includes(q) ||
      k.type.includes(q) ||
      k.description.toLowerCase().includes(q),
  );
}
