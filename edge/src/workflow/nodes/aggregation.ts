import type { Columns } from '../columns.ts';
import { z } from 'zod';
import { col, type AggregateFunction, type NamedExpr, type Rel } from '../ir.ts';
import { isNumeric, type Column, type ColumnType } from '../types.ts';
import { Problems, type Checked } from './node.ts';

export const AGGREGATE_FUNCTIONS = [
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'count_distinct',
] as const satisfies readonly AggregateFunction[];

export const aggregateFunction = z.enum(AGGREGATE_FUNCTIONS);

const numeric = { expected: 'a numeric column', accepts: isNumeric };
const orderable = {
  expected: 'an orderable column (not boolean)',
  accepts: (type: ColumnType) => type !== 'boolean',
};
/** What a function needs of its column; count and count_distinct take any column. */
const REQUIREMENTS: Partial<
  Record<AggregateFunction, { expected: string; accepts: (type: ColumnType) => boolean }>
> = { sum: numeric, avg: numeric, min: orderable, max: orderable };

/** The functions that may aggregate a column of `type` (the canvas offers exactly these). */
export const aggregateFunctionsFor = (type: ColumnType): AggregateFunction[] =>
  AGGREGATE_FUNCTIONS.filter((fn) => REQUIREMENTS[fn]?.accepts(type) ?? true);

export interface AggregationSpec {
  function: AggregateFunction;
  /** `"*"` only with count. */
  column: string;
  alias?: string | undefined;
}

export interface AggregationPlan {
  groupBy: NamedExpr[];
  aggregates: NamedExpr[];
  schema: Column[];
}

/** Output name per the graph contract: the alias, else `${function}_${column}`, and plain `count` for `count(*)`. */
const aggregateName = (spec: AggregationSpec): string =>
  spec.alias ?? (spec.column === '*' ? 'count' : `${spec.function}_${spec.column}`);

function aggregateType(fn: AggregateFunction, input: ColumnType): ColumnType {
  if (fn === 'count' || fn === 'count_distinct') return 'int64';
  if (fn === 'avg') return 'float64';
  if (fn === 'sum') return input === 'int64' ? 'int64' : 'float64';
  return input;
}

/**
 * Shared by group_by and pivot: resolves keys and aggregations against the input and types the outputs. Aggregates
 * over an empty input (no keys) yield NULL, so without keys everything but counts is nullable.
 */
export function planAggregation(
  columns: Columns,
  keys: readonly { name: string; field: string }[],
  specs: readonly (AggregationSpec & { field: string })[],
): Checked<AggregationPlan> {
  const problems = new Problems();
  const keyColumns = keys.map((k) => problems.column(columns, k.name, k.field));
  const aggregates = specs.map((spec) => {
    const { field } = spec;
    if (spec.column === '*') {
      if (spec.function === 'count')
        return { spec, column: undefined, type: 'int64' as ColumnType, nullable: false };
      problems.add(
        'INVALID_CONFIG',
        `Only count accepts "*"; ${spec.function} needs a column`,
        `${field}.column`,
      );
      return undefined;
    }
    const requirement = REQUIREMENTS[spec.function];
    const column = requirement
      ? problems.typedColumn(columns, spec.column, `${field}.column`, requirement.expected, (c) =>
          requirement.accepts(c.type),
        )
      : problems.column(columns, spec.column, `${field}.column`);
    if (!column) return undefined;
    const counts = spec.function === 'count' || spec.function === 'count_distinct';
    return {
      spec,
      column,
      type: aggregateType(spec.function, column.type),
      nullable: !counts && (column.nullable || keys.length === 0),
    };
  });
  if (keys.length === 0 && specs.length === 0)
    problems.add('INVALID_CONFIG', 'Group by needs at least one key or one aggregation', 'group_by');
  problems.uniqueNames([
    ...keys.map((k) => ({ name: k.name, field: k.field })),
    ...specs.map((s) => ({
      name: aggregateName(s),
      field: s.alias === undefined ? `${s.field}.column` : `${s.field}.alias`,
    })),
  ]);
  return problems.result(() => {
    const groupColumns = keyColumns as Column[];
    const resolved = aggregates as NonNullable<(typeof aggregates)[number]>[];
    return {
      groupBy: groupColumns.map((c) => ({ name: c.name, expr: col(c) })),
      aggregates: resolved.map((a) => ({
        name: aggregateName(a.spec),
        expr: { kind: 'agg', fn: a.spec.function, arg: a.column ? col(a.column) : null, type: a.type },
      })),
      schema: [
        ...groupColumns,
        ...resolved.map((a) => ({ name: aggregateName(a.spec), type: a.type, nullable: a.nullable })),
      ],
    };
  });
}

/**
 * The aggregation, ordered by its keys ascending (NULLs last): a grouped result reads as a table, and a later sort
 * replaces the order in the same SELECT. Without keys it is one row.
 */
export function aggregateRel(input: Rel, plan: AggregationPlan): Rel {
  const grouped: Rel = {
    kind: 'aggregate',
    input,
    groupBy: plan.groupBy,
    aggregates: plan.aggregates,
    schema: plan.schema,
  };
  if (plan.groupBy.length === 0) return grouped;
  const keys = plan.groupBy.map((k) => ({
    expr: col(plan.schema.find((c) => c.name === k.name)!),
    direction: 'ASC' as const,
  }));
  return { kind: 'sort', input: grouped, keys, schema: plan.schema };
}
