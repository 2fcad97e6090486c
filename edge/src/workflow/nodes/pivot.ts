import type { Columns } from '../columns.ts';
import { z } from 'zod';
import type { Rel } from '../ir.ts';
import { columnName } from '../schema.ts';
import { aggregateFunction, aggregateRel, planAggregation } from './aggregation.ts';
import { defineNode, expectOk } from './node.ts';

const config = z.object({
  rows: z.array(columnName).min(1),
  columns: z.array(columnName).default([]),
  values: z.array(z.object({ column: columnName, function: aggregateFunction })).min(1),
});
type Config = z.infer<typeof config>;

/**
 * A pivot in long format: one row per (rows…, columns…) combination with one aggregated column per value, named like
 * group_by's (`sum_quantity`), ordered by rows then columns. The chart spreads `columns` across; SQL stays portable.
 */
const plan = (input: Columns, config: Config) =>
  planAggregation(
    input,
    [
      ...config.rows.map((name, i) => ({ name, field: `rows[${i}]` })),
      ...config.columns.map((name, i) => ({ name, field: `columns[${i}]` })),
    ],
    config.values.map((v, i) => ({ function: v.function, column: v.column, field: `values[${i}]` })),
  );

export const pivot = defineNode({
  type: 'pivot',
  config,
  inputs: { kind: 'one' },
  terminal: true,
  propagate([columns], config) {
    const checked = plan(columns!, config);
    return checked.ok ? { ok: true, value: checked.value.schema } : checked;
  },
  lower: ([input], config): Rel => aggregateRel(input!, expectOk(plan(input!.schema, config))),
});
