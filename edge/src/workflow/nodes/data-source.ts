import { z } from 'zod';
import { findTable, unknownTableMessage } from '../catalog.ts';
import { lit, type Expr, type Rel } from '../ir.ts';
import { defineNode, expectOk, type Acl, type Checked, type NodeContext } from './node.ts';
import type { Column } from '../types.ts';

const config = z.object({ database: z.string().min(1), table: z.string().min(1) });
type Config = z.infer<typeof config>;

function resolve(config: Config, context: NodeContext): Checked<Column[]> {
  const table = findTable(context.catalog, config.database, config.table);
  if (!table) {
    const { field, message } = unknownTableMessage(context.catalog, config.database, config.table);
    return { ok: false, issues: [{ field, code: 'UNKNOWN_TABLE', message }] };
  }
  return {
    ok: true,
    value: table.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
  };
}

/** The tenant ACL sits directly on the scan, so every node above it (joins included) only ever sees allowed rows. */
function aclPredicate(schema: readonly Column[], acl: Acl | undefined): Expr | undefined {
  const symbol = schema.find((c) => c.name === 'symbol' && c.type === 'string');
  if (!acl || !symbol) return undefined;
  if (acl.allowedSymbols.length === 0) return lit(false, 'boolean');
  return {
    kind: 'in',
    arg: { kind: 'col', name: symbol.name, type: symbol.type },
    values: acl.allowedSymbols.map((s) => lit(s, 'string')),
    negated: false,
    type: 'boolean',
  };
}

export const dataSource = defineNode({
  type: 'data_source',
  config,
  inputs: { kind: 'none' },
  terminal: false,
  propagate: (_inputs, config, context) => resolve(config, context),
  lower(_inputs, config, context): Rel {
    const schema = expectOk(resolve(config, context));
    const scan: Rel = { kind: 'scan', table: { database: config.database, table: config.table }, schema };
    const predicate = aclPredicate(schema, context.acl);
    return predicate ? { kind: 'filter', input: scan, predicate, schema } : scan;
  },
});
