import { z } from 'zod';
import type { Rel } from '../ir.ts';
import { defineNode } from './node.ts';

const config = z
  .object({
    n: z.number().int().min(0).max(1_000_000_000).optional(),
    percent: z.number().gt(0).max(100).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
  })
  .refine((c) => c.n !== undefined || c.percent !== undefined, {
    message: 'sample needs n (rows) or percent',
    path: ['n'],
  });

/** With a seed the sample is repeatable on one engine; engines hash differently, so samples differ across engines. */
export const sample = defineNode({
  type: 'sample',
  config,
  inputs: { kind: 'one' },
  terminal: false,
  propagate: ([columns]) => ({ ok: true, value: columns! }),
  lower: ([input], config): Rel => ({
    kind: 'sample',
    input: input!,
    rows: config.n ?? null,
    percent: config.percent ?? null,
    seed: config.seed ?? null,
    schema: input!.schema,
  }),
});
