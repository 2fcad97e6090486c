import type { Columns } from '../columns.ts';
import { z } from 'zod';
import { columnName } from '../schema.ts';
import type { Expr, Rel } from '../ir.ts';
import type { ColumnType } from '../types.ts';
import { coerceValue, describeValue, nextDayBound } from '../values.ts';
import { defineNode, expectOk, Problems, type Checked } from './node.ts';

export const FILTER_OPS = [
  '=',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
  'LIKE',
  'NOT_LIKE',
  'IN',
  'NOT_IN',
  'IS_NULL',
  'IS_NOT_NULL',
  'BETWEEN',
] as const;
type FilterOp = (typeof FILTER_OPS)[number];

const condition = z.object({ column: columnName, op: z.enum(FILTER_OPS), value: z.unknown().optional() });
const config = z.object({ logic: z.enum(['AND', 'OR']).default('AND'), conditions: z.array(condition) });
type Config = z.infer<typeof config>;
type Condition = z.infer<typeof condition>;

const ORDERED_OPS: readonly FilterOp[] = ['>', '<', '>=', '<=', 'BETWEEN'];

/** Whether an operator applies to a column type: ordering needs an ordered type, pattern matching a string. */
export function filterOpApplies(op: FilterOp, type: ColumnType): boolean {
  if (ORDERED_OPS.includes(op)) return type !== 'boolean';
  if (op === 'LIKE' || op === 'NOT_LIKE') return type === 'string';
  return true;
}

/** The operators a filter on a column of `type` may use, in the contract's order (the canvas offers exactly these). */
export const filterOpsFor = (type: ColumnType): FilterOp[] =>
  FILTER_OPS.filter((op) => filterOpApplies(op, type));

/** The filter's predicate, or null when it has no conditions (then it passes every row). */
function predicate(columns: Columns, config: Config): Checked<Expr | null> {
  const problems = new Problems();
  const parts = config.conditions.map((c, i) => conditionExpr(columns, c, `conditions[${i}]`, problems));
  return problems.result(() => {
    const exprs = parts.filter((p): p is Expr => p !== undefined);
    if (exprs.length === 0) return null;
    return exprs.reduce((left, right) => ({
      kind: 'binary',
      op: config.logic,
      left,
      right,
      type: 'boolean',
    }));
  });
}

function conditionExpr(
  columns: Columns,
  condition: Condition,
  field: string,
  problems: Problems,
): Expr | undefined {
  const column = problems.column(columns, condition.column, `${field}.column`);
  if (!column) return undefined;
  const arg: Expr = { kind: 'col', name: column.name, type: column.type };
  const { op, value } = condition;
  const valueField = `${field}.value`;
  const literal = (v: unknown): Expr | undefined => {
    const coerced = coerceValue(v, column.type);
    if (coerced.ok) return coerced.expr;
    problems.add(coerced.code, `Value for "${column.name}" (${column.type}): ${coerced.message}`, valueField);
    return undefined;
  };
  const list = (expectedLength?: number): Expr[] | undefined => {
    if (!Array.isArray(value) || (expectedLength !== undefined && value.length !== expectedLength)) {
      const expected =
        expectedLength === undefined ? 'an array of values' : `an array of ${expectedLength} values`;
      problems.add('INVALID_VALUE', `${op} takes ${expected}, got ${describeValue(value)}`, valueField);
      return undefined;
    }
    const items = value.map(literal);
    return items.every((i) => i !== undefined) ? (items as Expr[]) : undefined;
  };

  if (!filterOpApplies(op, column.type)) {
    problems.add(
      'TYPE_MISMATCH',
      `${op} does not apply to column "${column.name}" of type ${column.type}`,
      `${field}.op`,
    );
    return undefined;
  }
  switch (op) {
    case 'IS_NULL':
    case 'IS_NOT_NULL':
      return { kind: 'isNull', arg, negated: op === 'IS_NOT_NULL', type: 'boolean' };
    case 'IN':
    case 'NOT_IN': {
      const values = list();
      return values && { kind: 'in', arg, values, negated: op === 'NOT_IN', type: 'boolean' };
    }
    case 'BETWEEN': {
      const bounds = list(2);
      if (!bounds) return undefined;
      const endOfDay = nextDayBound((value as unknown[])[1], column.type);
      if (endOfDay === undefined)
        return { kind: 'between', arg, low: bounds[0]!, high: bounds[1]!, type: 'boolean' };
      return {
        kind: 'binary',
        op: 'AND',
        left: { kind: 'binary', op: '>=', left: arg, right: bounds[0]!, type: 'boolean' },
        right: {
          kind: 'binary',
          op: '<',
          left: arg,
          right: { kind: 'lit', value: endOfDay, type: column.type },
          type: 'boolean',
        },
        type: 'boolean',
      };
    }
    case 'LIKE':
    case 'NOT_LIKE': {
      const pattern = literal(value);
      // A trailing lone backslash escapes nothing: every engine rejects such a pattern at run time.
      if (typeof value === 'string' && /(^|[^\\])(\\\\)*\\$/.test(value)) {
        problems.add(
          'INVALID_VALUE',
          `${op} pattern ends with the escape character \\; write \\\\ for a literal backslash`,
          valueField,
        );
        return undefined;
      }
      return pattern && { kind: 'like', arg, pattern, negated: op === 'NOT_LIKE', type: 'boolean' };
    }
    default: {
      if (Array.isArray(value)) {
        problems.add('INVALID_VALUE', `${op} takes a single value; use IN for a list`, valueField);
        return undefined;
      }
      const right = literal(value);
      const endOfDay = op === '<=' || op === '>' ? nextDayBound(value, column.type) : undefined;
      if (right && endOfDay !== undefined)
        return {
          kind: 'binary',
          op: op === '<=' ? '<' : '>=',
          left: arg,
          right: { kind: 'lit', value: endOfDay, type: column.type },
          type: 'boolean',
        };
      const comparison = op as '=' | '!=' | '>' | '<' | '>=' | '<=';
      return right && { kind: 'binary', op: comparison, left: arg, right, type: 'boolean' };
    }
  }
}

export const filter = defineNode({
  type: 'filter',
  config,
  inputs: { kind: 'one' },
  terminal: false,
  propagate([columns], config) {
    const checked = predicate(columns!, config);
    return checked.ok ? { ok: true, value: columns! } : checked;
  },
  lower([input], config): Rel {
    const where = expectOk(predicate(input!.schema, config));
    return where ? { kind: 'filter', input: input!, predicate: where, schema: input!.schema } : input!;
  },
});
