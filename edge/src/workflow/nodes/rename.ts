import type { Columns } from '../columns.ts';
import { z } from 'zod';
import { col, type Rel } from '../ir.ts';
import { columnName } from '../schema.ts';
import type { Column } from '../types.ts';
import { defineNode, expectOk, Problems, type Checked } from './node.ts';

const config = z.object({ renames: z.record(z.string(), columnName) });
type Config = z.infer<typeof config>;

function planRename(columns: Columns, config: Config): Checked<Column[]> {
  const problems = new Problems();
  for (const old of Object.keys(config.renames)) problems.column(columns, old, `renames.${old}`);
  const schema = columns.map((c) => ({ ...c, name: config.renames[c.name] ?? c.name }));
  problems.uniqueNames(
    schema.map((c, i) => ({
      name: c.name,
      field: config.renames[columns.at(i)!.name] === undefined ? 'renames' : `renames.${columns.at(i)!.name}`,
    })),
  );
  return problems.result(() => schema);
}

export const rename = defineNode({
  type: 'rename',
  config,
  inputs: { kind: 'one' },
  terminal: false,
  propagate: ([columns], config) => planRename(columns!, config),
  lower([input], config): Rel {
    const schema = expectOk(planRename(input!.schema, config));
    return {
      kind: 'project',
      input: input!,
      columns: schema.map((c, i) => ({ name: c.name, expr: col(input!.schema.at(i)!) })),
      schema,
    };
  },
});
