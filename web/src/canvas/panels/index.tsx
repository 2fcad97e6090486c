import type { ComponentType } from 'react';
import {
  BarChartPanel,
  CandlestickPanel,
  KpiPanel,
  PivotPanel,
  ScatterPanel,
  SeriesChartPanel,
  TableViewPanel,
} from './outputs.tsx';
import { FormulaPanel, GroupByPanel, JoinPanel, UnionPanel } from './aggregate.tsx';
import { RenamePanel, SamplePanel, SelectPanel, SortPanel, UniquePanel } from './columns.tsx';
import { DataSourcePanel } from './data-source.tsx';
import { FilterPanel } from './filter.tsx';
import type { PanelProps } from './types.ts';

// Each panel narrows `data` to its node's config; the registry is where that narrowing is accepted.
type AnyPanel = ComponentType<PanelProps<never>>;

export const PANELS: Record<string, AnyPanel> = {
  data_source: DataSourcePanel,
  filter: FilterPanel,
  select: SelectPanel,
  sort: SortPanel,
  group_by: GroupByPanel,
  join: JoinPanel,
  union: UnionPanel,
  formula: FormulaPanel,
  rename: RenamePanel,
  unique: UniquePanel,
  sample: SamplePanel,
  table_view: TableViewPanel,
  bar_chart: BarChartPanel,
  line_chart: SeriesChartPanel,
  candlestick: CandlestickPanel,
  scatter: ScatterPanel,
  kpi: KpiPanel,
  pivot: PivotPanel,
};

export type { PanelProps } from './types.ts';
