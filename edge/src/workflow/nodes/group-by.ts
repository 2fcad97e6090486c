import { z } from 'zod';
import { columnName } from '../schema.ts';
import { aggregateFunction, aggregateRel, planAggregation } from './aggregation.ts';
import { defineNode, expectOk } from './node.ts';

const config = z.object({
  group_by: z.array(columnName).default([]),
  aggregations: z
    .array(z.object({ function: aggregateFunction, column: columnName, alias: z.string().min(1).optional() }))
    .default([]),
});
type Config = z.infer<typeof config>;

const plan = (columns: Parameters<typeof planAggregation>[0], config: Config) =>
  planAggregation(
    columns,
    config.group_by.map((name, i) => ({ name, field: `group_by[${i}]` })),
    config.aggregations.map((a, i) => ({ ...a, field: `aggregations[${i}]` })),
  );

export const groupBy = defineNode({
  type: 'group_by',
  config,
  inputs: { kind: 'one' },
  terminal: false,
  propagate([columns], config) {
    const checked = plan(columns!, config);
    return checked.ok ? { ok: true, value: checked.value.schema } : checked;
  },
  lower: ([input], config) => aggregateRel(input!, expectOk(plan(input!.schema, config))),
});
