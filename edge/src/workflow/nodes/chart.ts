import type { Columns } from '../columns.ts';
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
  orderBy?: (config: Config) => { name: string; direction: 'ASC' | 'DESC' }[];
  /** Rows the chart shows at most (a KPI tile: one, or the points of its sparkline). */
  limit?: (config: Config) => number;
}

function planChart(
  columns: Columns,
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
        const keys = orderBy.map(({ name, direction }) => ({
          expr: col(schema.find((c) => c.name === name)!),
          direction,
        }));
        rel = { kind: 'sort', input: rel, keys, schema };
      }
      const limit = shape.limit?.(config);
      return limit === undefined ? rel : { kind: 'limit', input: rel, limit, offset: 0, schema };
    },
  });
}

const seriesConfig = z.object({
  x: columnName,
  y: z.array(columnName).min(1),
  series: columnName.optional(),
});
type SeriesConfig = z.infer<typeof seriesConfig>;
/** Bars go along x (the default) or by the first value, largest or smallest first — "top movers" as bars. */
export const BAR_ORDERS = ['x', 'value_desc', 'value_asc'] as const;
const barConfig = seriesConfig.extend({ order: z.enum(BAR_ORDERS).optional() });

const seriesRoles = (c: SeriesConfig): Role[] => [
  { column: c.x, field: 'x' },
  ...c.y.map((y, i) => ({ column: y, field: `y[${i}]`, need: NUMBER })),
  ...(c.series === undefined ? [] : [{ column: c.series, field: 'series' }]),
];
const ascending = (...names: string[]) => names.map((name) => ({ name, direction: 'ASC' as const }));
const seriesOrder = (c: SeriesConfig) => (c.series === undefined ? ascending(c.x) : ascending(c.x, c.series));

export const barChart = chartNode({
  type: 'bar_chart',
  config: barConfig,
  roles: seriesRoles,
  orderBy: (c) =>
    c.order === undefined || c.order === 'x'
      ? seriesOrder(c)
      : [{ name: c.y[0]!, direction: c.order === 'value_desc' ? 'DESC' : 'ASC' }, ...seriesOrder(c)],
});
export const lineChart = chartNode({
  type: 'line_chart',
  config: seriesConfig,
  roles: seriesRoles,
  orderBy: seriesOrder,
});

const OHLC = ['open', 'high', 'low', 'close'] as const;
export const KPI_DEFAULT_POINTS = 30;
const KPI_MAX_POINTS = 500;

export const candlestick = chartNode({
  type: 'candlestick',
  config: z.object({
    time: columnName,
    open: columnName,
    high: columnName,
    low: columnName,
    close: columnName,
    /** Drawn as bars under the candles. */
    volume: columnName.optional(),
  }),
  roles: (c) => [
    { column: c.time, field: 'time', outputName: 'time', need: TIME },
    ...OHLC.map((k) => ({ column: c[k], field: k, outputName: k, need: NUMBER })),
    ...(c.volume === undefined
      ? []
      : [{ column: c.volume, field: 'volume', outputName: 'volume', need: NUMBER }]),
  ],
  orderBy: () => ascending('time'),
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
    /**
     * The column that orders periods (e.g. a day): the tile then shows the latest period's value, its change from
     * the period before, and a sparkline of the last `points` periods. Without it the tile shows the first row.
     */
    trend: columnName.optional(),
    points: z.number().int().min(2).max(KPI_MAX_POINTS).default(KPI_DEFAULT_POINTS),
  }),
  roles: (c) => [
    { column: c.value, field: 'value', need: NUMBER },
    ...(c.label === undefined ? [] : [{ column: c.label, field: 'label' }]),
    ...(c.trend === undefined ? [] : [{ column: c.trend, field: 'trend' }]),
  ],
  // Newest period first, so the limit keeps the latest points and the tile reads its value from the first row.
  orderBy: (c) => (c.trend === undefined ? [] : [{ name: c.trend, direction: 'DESC' }]),
  limit: (c) => (c.trend === undefined ? 1 : c.points),
});
