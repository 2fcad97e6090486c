import type { Columns } from '../columns.ts';
import { z } from 'zod';
import { col, type Rel } from '../ir.ts';
import { columnName } from '../schema.ts';
import type { Column } from '../types.ts';
import { defineNode, expectOk, Problems, type Checked } from './node.ts';

const config = z.object({ columns: z.array(columnName).min(1) });

/** Resolves a list of column names (keeping the listed order), flagging unknown and repeated ones. */
export function pickColumns(columns: Columns, names: readonly string[], field: string): Checked<Column[]> {
  const problems = new Problems();
  const picked = names.map((name, i) => problems.column(columns, name, `${field}[${i}]`));
  problems.uniqueNames(names.map((name, i) => ({ name, field: `${field}[${i}]` })));
  return problems.result(() => picked as Column[]);
}

export const select = defineNode({
  type: 'select',
  config,
  inputs: { kind: 'one' },
  terminal: false,
  propagate: ([columns], config) => pickColumns(columns!, config.columns, 'columns'),
  lower([input], config): Rel {
    const schema = expectOk(pickColumns(input!.schema, config.columns, 'columns'));
    return {
      kind: 'project',
      input: input!,
      columns: schema.map((c) => ({ name: c.name, expr: col(c) })),
      schema,
    };
  },
});
