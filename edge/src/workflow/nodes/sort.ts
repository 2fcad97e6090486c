import type { Columns } from '../columns.ts';
import { z } from 'zod';
import { col, type Rel, type SortKey } from '../ir.ts';
import { columnName } from '../schema.ts';
import { defineNode, expectOk, Problems, type Checked } from './node.ts';

const config = z.object({
  sorts: z.array(z.object({ column: columnName, direction: z.enum(['ASC', 'DESC']).default('ASC') })).min(1),
});
type Config = z.infer<typeof config>;

function sortKeys(columns: Columns, config: Config): Checked<SortKey[]> {
  const problems = new Problems();
  const keys = config.sorts.map((s, i) => {
    const column = problems.column(columns, s.column, `sorts[${i}].column`);
    return column && { expr: col(column), direction: s.direction };
  });
  return problems.result(() => keys as SortKey[]);
}

export const sort = defineNode({
  type: 'sort',
  config,
  inputs: { kind: 'one' },
  terminal: false,
  propagate([columns], config) {
    const checked = sortKeys(columns!, config);
    return checked.ok ? { ok: true, value: columns! } : checked;
  },
  lower: ([input], config): Rel => ({
    kind: 'sort',
    input: input!,
    keys: expectOk(sortKeys(input!.schema, config)),
    schema: input!.schema,
  }),
});
