import { z } from 'zod';
import type { Rel } from '../ir.ts';
import { defineNode, type Checked } from './node.ts';
import type { Columns } from '../columns.ts';

/** Deep OFFSET paging gets slow and is rarely what a user wants; past this row they should filter or export. */
export const MAX_PAGE_OFFSET = 10_000;
export const DEFAULT_PAGE_SIZE = 50;

const config = z.object({
  page: z.number().int().min(0).default(0),
  page_size: z.number().int().min(1).max(MAX_PAGE_OFFSET).default(DEFAULT_PAGE_SIZE),
});
type Config = z.infer<typeof config>;

/** Pages are 0-based: page 0 is rows 1..page_size. */
function checkPage(columns: Columns, config: Config): Checked<Columns> {
  const offset = config.page * config.page_size;
  if (offset <= MAX_PAGE_OFFSET) return { ok: true, value: columns };
  const message = `Page ${config.page} starts at row ${offset + 1}, past the ${MAX_PAGE_OFFSET.toLocaleString('en-US')}-row paging limit: add a filter to narrow the results, or export to CSV.`;
  return { ok: false, issues: [{ field: 'page', code: 'PAGE_LIMIT_EXCEEDED', message }] };
}

export const tableView = defineNode({
  type: 'table_view',
  config,
  inputs: { kind: 'one' },
  terminal: true,
  propagate: ([columns], config) => checkPage(columns!, config),
  lower: ([input], config): Rel => ({
    kind: 'limit',
    input: input!,
    limit: config.page_size,
    offset: config.page * config.page_size,
    schema: input!.schema,
  }),
});
