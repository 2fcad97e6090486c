import { z } from 'zod';
import { col, type Rel } from '../ir.ts';
import { columnName } from '../schema.ts';
import { isNumeric, isTemporal, type Column } from '../types.ts';
import { defineNode, expectOk, Problems, type Checked, type NodeDefinition } from './node.ts';

/** One column a chart needs: where it is configured, what it must be, and the name it gets in the chart's output. */
interface Role {
  column: string;
  field: string;
  outputName?: string;
  need?: Need;
}

type Need = { expected: string; accepts: (column: Column) => boolean };

const NUMBER: Need = { expected: 'a numeric column', accepts: (c) => isNumeric(c.type) };
const TIME: Need = { expected: 'a date or datetime column', accepts: (c) => isTemporal(c.type) };

interface ChartShape<Config> {
  type: string;
  config: z.ZodType<Config>;
  roles: (config: Config) => Role[];
  /** Output columns (by output name) the data is ordered by, so series render left to right. */
  orderBy?: (config: Config) => string[];
  /** KPI tiles show one row. */
  singleRow?: boolean;
}

function planChart(
  columns: readonly Column[],
  roles: readonly Role[],
): Checked<{ sources: Column[]; schema: Column[] }> {
  const problems = new Problems();
  const sources = roles.map((r) =>
    r.need
      ? problems.typedColumn(columns, r.column, r.field, r.need.expected, r.need.accepts)
      : problems.column(columns, r.column, r.field),
  );
  problems.uniqueNames(roles.map((r) => ({ name: r.outputName ?? r.column, field: r.field })));
  return problems.result(() => {
    const resolved = sources as Column[];
    return {
      sources: resolved,
      schema: resolved.map((c, i) => ({ ...c, name: roles[i]!.outputName ?? c.name })),
    };
  });
}

/** Chart nodes are terminal projections: the columns the chart needs, in role order, optionally ordered or capped. */
function chartNode<Config>(shape: ChartShape<Config>): NodeDefinition<Config> {
  return defineNode({
    type: shape.type,
    config: shape.config,
    inputs: { kind: 'one' },
    terminal: true,
    propagate([columns], config) {
      const checked = planChart(columns!, shape.roles(config));
      return checked.ok ? { ok: true, value: checked.value.schema } : checked;
    },
    lower([input], config): Rel {
      const { sources, schema } = expectOk(planChart(input!.schema, shape.roles(config)));
      let rel: Rel = {
        kind: 'project',
        input: input!,
        columns: sources.map((c, i) => ({ name: schema[i]!.name, expr: col(c) })),
        schema,
      };
      const orderBy = shape.orderBy?.(config) ?? [];
      if (orderBy.length > 0) {
        const keys = orderBy.map((name) => ({
          expr: col(schema.find((c) => c.name === name)!),
          direction: 'ASC' as const,
        }));
        rel = { kind: 'sort', input: rel, keys, schema };
      }
      return shape.singleRow ? { kind: 'limit', input: rel, limit: 1, offset: 0, schema } : rel;
    },
  });
}

const seriesConfig = z.object({
  x: columnName,
  y: z.array(columnName).min(1),
  series: columnName.optional(),
});
type SeriesConfig = z.infer<typeof seriesConfig>;

const seriesRoles = (c: SeriesConfig): Role[] => [
  { column: c.x, field: 'x' },
  ...c.y.map((y, i) => ({ column: y, field: `y[${i}]`, need: NUMBER })),
  ...(c.series === undefined ? [] : [{ column: c.series, field: 'series' }]),
];
const seriesOrder = (c: SeriesConfig): string[] => (c.series === undefined ? [c.x] : [c.x, c.series]);

export const barChart = chartNode({
  type: 'bar_chart',
  config: seriesConfig,
  roles: seriesRoles,
  orderBy: seriesOrder,
});
export const lineChart = chartNode({
  type: 'line_chart',
  config: seriesConfig,
  roles: seriesRoles,
  orderBy: seriesOrder,
});

const OHLC = ['open', 'high', 'low', 'close'] as const;

export const candlestick = chartNode({
  type: 'candlestick',
  config: z.object({
    time: columnName,
    open: columnName,
    high: columnName,
    low: columnName,
    close: columnName,
  }),
  roles: (c) => [
    { column: c.time, field: 'time', outputName: 'time', need: TIME },
    ...OHLC.map((k) => ({ column: c[k], field: k, outputName: k, need: NUMBER })),
  ],
  orderBy: () => ['time'],
});

export const scatter = chartNode({
  type: 'scatter',
  config: z.object({
    x: columnName,
    y: columnName,
    size: columnName.optional(),
    color: columnName.optional(),
  }),
  roles: (c) => [
    { column: c.x, field: 'x', need: NUMBER },
    { column: c.y, field: 'y', need: NUMBER },
    ...(c.size === undefined ? [] : [{ column: c.size, field: 'size', need: NUMBER }]),
    ...(c.color === undefined ? [] : [{ column: c.color, field: 'color' }]),
  ],
});

export const kpi = chartNode({
  type: 'kpi',
  config: z.object({
    value: columnName,
    label: columnName.optional(),
    format: z.enum(['number', 'currency', 'percent']).optional(),
  }),
  roles: (c) => [
    { column: c.value, field: 'value', need: NUMBER },
    ...(c.label === undefined ? [] : [{ column: c.label, field: 'label' }]),
  ],
  singleRow: true,
});
