import type { Columns } from '../columns.ts';
import { z } from 'zod';
import { findTable, unknownTableMessage } from '../catalog.ts';
import { lit, type Expr, type Rel } from '../ir.ts';
import { defineNode, expectOk, type Acl, type Checked, type NodeContext } from './node.ts';
import { isTemporal, type Column } from '../types.ts';
import { coerceValue, nextDayBound } from '../values.ts';

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

/**
 * The columns an ACL conditions in a scanned table: `symbol` (a string) and the first date or date-time column. The edge
 * uses the same answer to refuse a lock that would apply to none of a graph's tables.
 */
export function scanColumns(schema: Columns): { symbol?: Column; time?: Column } {
  const symbol = schema.find((c) => c.name === 'symbol' && c.type === 'string');
  const time = schema.find((c) => isTemporal(c.type));
  return { ...(symbol ? { symbol } : {}), ...(time ? { time } : {}) };
}

const col = (c: Column): Expr => ({ kind: 'col', name: c.name, type: c.type });

/** A bound that does not parse as the column's type lets no row through: an ACL never fails open. */
function bound(time: Column, value: string, op: '>=' | '<='): Expr {
  const coerced = coerceValue(value, time.type);
  if (!coerced.ok) return lit(false, 'boolean');
  const endOfDay = op === '<=' ? nextDayBound(value, time.type) : undefined;
  if (endOfDay !== undefined)
    return { kind: 'binary', op: '<', left: col(time), right: lit(endOfDay, time.type), type: 'boolean' };
  return { kind: 'binary', op, left: col(time), right: coerced.expr, type: 'boolean' };
}

/** The ACL sits directly on the scan, so every node above it (joins included) only ever sees allowed rows. */
function aclPredicate(schema: Columns, acl: Acl | undefined): Expr | undefined {
  if (!acl) return undefined;
  const { symbol, time } = scanColumns(schema);
  const parts: Expr[] = [];
  if (symbol && acl.allowedSymbols) {
    parts.push(
      acl.allowedSymbols.length === 0
        ? lit(false, 'boolean')
        : {
            kind: 'in',
            arg: col(symbol),
            values: acl.allowedSymbols.map((s) => lit(s, 'string')),
            negated: false,
            type: 'boolean',
          },
    );
  }
  if (time && acl.timeFrom !== undefined) parts.push(bound(time, acl.timeFrom, '>='));
  if (time && acl.timeTo !== undefined) parts.push(bound(time, acl.timeTo, '<='));
  if (parts.length === 0) return undefined;
  return parts.reduce((left, right) => ({ kind: 'binary', op: 'AND', left, right, type: 'boolean' }));
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
