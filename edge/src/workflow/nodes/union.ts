import { z } from 'zod';
import type { Columns } from '../columns.ts';
import { castTo, col, type Rel } from '../ir.ts';
import { commonType, type Column } from '../types.ts';
import { defineNode, expectOk, Problems, type Checked } from './node.ts';

const config = z.object({ mode: z.enum(['ALL', 'DISTINCT']).default('ALL') });

/** Inputs are matched by column name; the first input fixes the output order. */
function planUnion(inputs: Columns[]): Checked<Column[]> {
  const problems = new Problems();
  const [first, ...rest] = inputs;
  const schema = first!.map((c) => ({ ...c }));
  rest.forEach((columns, i) => {
    const names = columns.map((c) => c.name);
    const missing = schema.filter((c) => !names.includes(c.name)).map((c) => c.name);
    const extra = names.filter((n) => !schema.some((c) => c.name === n));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        missing.length > 0 && `lacks ${quoteList(missing)}`,
        extra.length > 0 && `has extra ${quoteList(extra)}`,
      ].filter(Boolean);
      problems.add('UNION_MISMATCH', `Input ${i + 2} ${parts.join(' and ')} compared with input 1`);
      return;
    }
    for (const out of schema) {
      const other = columns.find((c) => c.name === out.name)!;
      const type = commonType(out.type, other.type);
      if (type === undefined) {
        problems.add(
          'UNION_MISMATCH',
          `Column "${out.name}" is ${out.type} in input 1 but ${other.type} in input ${i + 2}`,
        );
        continue;
      }
      out.type = type;
      out.nullable ||= other.nullable;
    }
  });
  return problems.result(() => schema);
}

const quoteList = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

export const union = defineNode({
  type: 'union',
  config,
  inputs: { kind: 'many' },
  terminal: false,
  propagate: (inputs) => planUnion(inputs),
  lower(inputs, config): Rel {
    const schema = expectOk(planUnion(inputs.map((i) => i.schema)));
    // Every input is projected to the first input's column order so positional UNION lines up by name, and widened
    // with explicit casts: engines would otherwise pick their own common type (decimal, numeric…).
    const aligned = inputs.map((input): Rel => {
      const byName = schema.map((out) => input.schema.find((c) => c.name === out.name)!);
      return {
        kind: 'project',
        input,
        columns: byName.map((c, i) => ({ name: c.name, expr: castTo(col(c), schema[i]!.type) })),
        schema: byName.map((c, i) => ({ ...c, type: schema[i]!.type })),
      };
    });
    return { kind: 'union', inputs: aligned, all: config.mode === 'ALL', schema };
  },
});
