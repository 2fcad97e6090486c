import { barChart, candlestick, kpi, lineChart, scatter } from './chart.ts';
import { dataSource } from './data-source.ts';
import { filter } from './filter.ts';
import { formula } from './formula.ts';
import { groupBy } from './group-by.ts';
import { join } from './join.ts';
import type { NodeDefinition } from './node.ts';
import { pivot } from './pivot.ts';
import { rename } from './rename.ts';
import { sample } from './sample.ts';
import { select } from './select.ts';
import { sort } from './sort.ts';
import { tableView } from './table-view.ts';
import { union } from './union.ts';
import { unique } from './unique.ts';

export type { Acl, NodeContext, NodeDefinition, NodeIssue } from './node.ts';

const DEFINITIONS = [
  dataSource,
  filter,
  select,
  sort,
  groupBy,
  join,
  union,
  formula,
  rename,
  unique,
  sample,
  tableView,
  barChart,
  lineChart,
  candlestick,
  scatter,
  kpi,
  pivot,
] as NodeDefinition<never>[];

/** Node type → definition. The graph contract's node types, one module each. */
export const NODE_TYPES: ReadonlyMap<string, NodeDefinition<unknown>> = new Map(
  DEFINITIONS.map((d) => [d.type, d as unknown as NodeDefinition<unknown>]),
);
