import { z } from 'zod';
import type { Rel } from '../ir.ts';
import { columnName } from '../schema.ts';
import { defineNode, expectOk } from './node.ts';
import { pickColumns } from './select.ts';

const config = z.object({ columns: z.array(columnName).min(1).optional() });

/**
 * Without `columns`: distinct rows. With `columns`: one row per distinct key, all columns kept — the first row in the
 * input's sort order, ties broken by the remaining columns, so every engine keeps the same row.
 */
export const unique = defineNode({
  type: 'unique',
  config,
  inputs: { kind: 'one' },
  terminal: false,
  propagate([columns], config) {
    if (!config.columns) return { ok: true, value: columns! };
    const checked = pickColumns(columns!, config.columns, 'columns');
    return checked.ok ? { ok: true, value: columns! } : checked;
  },
  lower([input], config): Rel {
    const keys = config.columns
      ? expectOk(pickColumns(input!.schema, config.columns, 'columns')).map((c) => c.name)
      : null;
    const wholeRow = keys === null || input!.schema.every((c) => keys.includes(c.name));
    return { kind: 'distinct', input: input!, on: wholeRow ? null : keys, schema: input!.schema };
  },
});
