import { findColumn, type Columns } from '../columns.ts';
import { didYouMean } from '../errors.ts';
import { asComparable, castTo, type DateUnit, type Expr, type ScalarFunction } from '../ir.ts';
import { commonType, comparable, isDateTime, isNumeric, isTemporal, type ColumnType } from '../types.ts';
import { checkText, parseIsoDateTime } from '../values.ts';
import { FormulaError } from './error.ts';
import { FORMULA_FUNCTIONS } from './functions.ts';
import type { FormulaAst } from './parser.ts';

export interface Typed {
  expr: Expr;
  nullable: boolean;
}

const DATE_UNITS: readonly DateUnit[] = [
  'second',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'quarter',
  'year',
];
const MAX_ROUND_DIGITS = 12;
/** DATE_DIFF counts fixed-length units only (months and years have no fixed length). */
const DIFF_UNITS: readonly DateUnit[] = ['second', 'minute', 'hour', 'day', 'week'];
/** GREATEST/LEAST spell NULL-skipping as n coalesces of n arguments on ClickHouse; keep that small. */
const MAX_EXTREMUM_ARGS = 8;

/** Resolves column references against the input schema and types every node; the result is an IR expression. */
export function typecheck(ast: FormulaAst, columns: Columns): Typed {
  return new Checker(columns).check(ast);
}

class Checker {
  constructor(private readonly columns: Columns) {}

  check(ast: FormulaAst): Typed {
    switch (ast.kind) {
      case 'number':
        return plain({
          kind: 'lit',
          value: ast.value,
          type: ast.integer && Number.isSafeInteger(ast.value) ? 'int64' : 'float64',
        });
      case 'string': {
        const text = checkText(ast.value);
        if (!text.ok)
          throw new FormulaError('INVALID_VALUE', `Invalid string: ${text.message}`, ast.position);
        return plain(text.expr);
      }
      case 'boolean':
        return plain({ kind: 'lit', value: ast.value, type: 'boolean' });
      case 'null':
        return { expr: { kind: 'lit', value: null, type: 'string' }, nullable: true };
      case 'column':
        return this.column(ast.name, ast.position);
      case 'negate': {
        const arg = this.numeric(ast.arg, 'unary -');
        return { expr: { kind: 'neg', arg: arg.expr, type: arg.expr.type }, nullable: arg.nullable };
      }
      case 'not': {
        const arg = this.boolean(ast.arg, 'NOT');
        return { expr: { kind: 'not', arg: arg.expr, type: 'boolean' }, nullable: arg.nullable };
      }
      case 'isNull':
        return plain({
          kind: 'isNull',
          arg: this.check(ast.arg).expr,
          negated: ast.negated,
          type: 'boolean',
        });
      case 'binary':
        return this.binary(ast);
      case 'call':
        return this.call(ast);
    }
  }

  private column(name: string, position: number): Typed {
    const column = findColumn(this.columns, name);
    if (!column) {
      const names = this.columns.map((c) => c.name);
      throw new FormulaError(
        'UNKNOWN_COLUMN',
        `Unknown column [${name}].${didYouMean(name, names)}`,
        position,
      );
    }
    return { expr: { kind: 'col', name, type: column.type }, nullable: column.nullable };
  }

  private binary(ast: Extract<FormulaAst, { kind: 'binary' }>): Typed {
    const { op } = ast;
    if (op === 'AND' || op === 'OR') {
      const [left, right] = [this.boolean(ast.left, op), this.boolean(ast.right, op)];
      return {
        expr: { kind: 'binary', op, left: left.expr, right: right.expr, type: 'boolean' },
        nullable: left.nullable || right.nullable,
      };
    }
    if (op === '=' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') {
      let [left, right] = [this.check(ast.left), this.check(ast.right)];
      // `x = NULL` is never true in SQL; the user means IS NULL.
      if (isNullLiteral(left.expr) || isNullLiteral(right.expr))
        throw new FormulaError(
          'TYPE_MISMATCH',
          `Comparing with NULL using ${op} is never true; write [column] IS ${op === '!=' ? 'NOT ' : ''}NULL`,
          ast.position,
        );
      [left, right] = [
        coerceTemporal(left, right.expr.type, ast.left),
        coerceTemporal(right, left.expr.type, ast.right),
      ];
      if (
        !comparable(left.expr.type, right.expr.type) &&
        !isNullLiteral(left.expr) &&
        !isNullLiteral(right.expr)
      )
        throw new FormulaError(
          'TYPE_MISMATCH',
          `Cannot compare ${left.expr.type} with ${right.expr.type} using ${op}`,
          ast.position,
        );
      const [l, r] = asComparable(left.expr, right.expr);
      return {
        expr: { kind: 'binary', op, left: l, right: r, type: 'boolean' },
        nullable: left.nullable || right.nullable,
      };
    }
    const [left, right] = [this.numeric(ast.left, op), this.numeric(ast.right, op)];
    const bothInt = left.expr.type === 'int64' && right.expr.type === 'int64';
    if (op === '%' && !bothInt)
      throw new FormulaError('TYPE_MISMATCH', '% needs two int64 operands', ast.position);
    const type: ColumnType = op !== '/' && bothInt ? 'int64' : 'float64';
    // Division yields NULL on a zero divisor in every dialect, so it is nullable.
    return {
      expr: { kind: 'binary', op, left: left.expr, right: right.expr, type },
      nullable: left.nullable || right.nullable || op === '/' || op === '%',
    };
  }

  private call(ast: Extract<FormulaAst, { kind: 'call' }>): Typed {
    const { name, args, position } = ast;
    const arity = (min: number, max: number): void => {
      if (args.length < min || args.length > max) {
        const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
        throw new FormulaError(
          'FORMULA_SYNTAX',
          `${name} takes ${expected} argument${max === 1 ? '' : 's'}, got ${args.length}`,
          position,
        );
      }
    };
    switch (name) {
      case 'IF': {
        arity(3, 3);
        const cond = this.boolean(args[0]!, 'IF');
        const { typed, type } = this.unify([args[1]!, args[2]!], 'IF');
        const [then, otherwise] = typed as [Typed, Typed];
        return {
          expr: {
            kind: 'if',
            cond: cond.expr,
            then: castTo(then.expr, type),
            else: castTo(otherwise.expr, type),
            type,
          },
          nullable: then.nullable || otherwise.nullable,
        };
      }
      case 'COALESCE': {
        arity(1, Infinity);
        const { typed, type } = this.unify(args, 'COALESCE');
        return {
          expr: call(
            'COALESCE',
            typed.map((t) => ({ ...t, expr: castTo(t.expr, type) })),
            type,
          ),
          nullable: typed.every((t) => t.nullable),
        };
      }
      case 'ROUND': {
        arity(1, 2);
        const value = this.numeric(args[0]!, 'ROUND');
        const digits = args[1] === undefined ? 0 : this.digits(args[1]);
        const roundArgs: Expr[] = [value.expr, { kind: 'lit', value: digits, type: 'int64' }];
        return {
          expr: {
            kind: 'call',
            fn: 'ROUND',
            args: roundArgs,
            type: value.expr.type === 'int64' ? 'int64' : 'float64',
          },
          nullable: value.nullable,
        };
      }
      case 'ABS': {
        arity(1, 1);
        const value = this.numeric(args[0]!, 'ABS');
        return { expr: call('ABS', [value], value.expr.type), nullable: value.nullable };
      }
      case 'LOWER':
      case 'UPPER':
      case 'LENGTH': {
        arity(1, 1);
        const text = this.string(args[0]!, name);
        return { expr: call(name, [text], name === 'LENGTH' ? 'int64' : 'string'), nullable: text.nullable };
      }
      case 'CONCAT': {
        arity(1, Infinity);
        const parts = args.map((arg) => this.string(arg, 'CONCAT'));
        // NULL parts count as empty strings in every dialect (PostgreSQL's CONCAT semantics).
        return { expr: call('CONCAT', parts, 'string'), nullable: false };
      }
      case 'YEAR':
      case 'MONTH':
      case 'DAY':
      case 'HOUR': {
        arity(1, 1);
        const time = this.temporal(args[0]!, name);
        // Every engine takes the hour of a datetime; a date is a datetime at midnight.
        const arg = name === 'HOUR' ? { ...time, expr: asDateTime(time.expr) } : time;
        return { expr: call(name, [arg], 'int64'), nullable: time.nullable };
      }
      case 'DATE_TRUNC': {
        arity(2, 2);
        const unit = this.unit(args[0]!, DATE_UNITS, name);
        const time = this.temporal(args[1]!, name);
        return {
          expr: {
            kind: 'call',
            fn: 'DATE_TRUNC',
            args: [time.expr],
            unit,
            type: 'datetime',
          },
          nullable: time.nullable,
        };
      }
      case 'ISNULL': {
        arity(1, 1);
        return plain({ kind: 'isNull', arg: this.check(args[0]!).expr, negated: false, type: 'boolean' });
      }
      case 'SQRT':
      case 'LN':
      case 'EXP': {
        arity(1, 1);
        const value = this.numeric(args[0]!, name);
        // SQRT and LN are NULL outside their domain (negative, non-positive) on every engine.
        return {
          expr: call(name, [{ ...value, expr: castTo(value.expr, 'float64') }], 'float64'),
          nullable: value.nullable || name !== 'EXP',
        };
      }
      case 'POWER': {
        arity(2, 2);
        const [base, exponent] = [this.numeric(args[0]!, name), this.numeric(args[1]!, name)];
        return {
          expr: call(
            'POWER',
            [base, exponent].map((t) => ({ ...t, expr: castTo(t.expr, 'float64') })),
            'float64',
          ),
          nullable: true,
        };
      }
      case 'GREATEST':
      case 'LEAST': {
        arity(2, MAX_EXTREMUM_ARGS);
        const { typed, type } = this.unify(args, name);
        if (type === 'boolean')
          throw new FormulaError('TYPE_MISMATCH', `${name} does not compare booleans`, position);
        return {
          expr: call(
            name,
            typed.map((t) => ({ ...t, expr: castTo(t.expr, type) })),
            type,
          ),
          nullable: typed.every((t) => t.nullable),
        };
      }
      case 'REGEXP_MATCH': {
        arity(2, 2);
        const text = this.string(args[0]!, name);
        const pattern = args[1]!;
        if (pattern.kind !== 'string')
          throw new FormulaError(
            'INVALID_VALUE',
            "REGEXP_MATCH's pattern must be a text literal",
            pattern.position,
          );
        const problem = portableRegexProblem(pattern.value);
        if (problem !== undefined)
          throw new FormulaError('INVALID_VALUE', `REGEXP_MATCH pattern: ${problem}`, pattern.position);
        return {
          expr: call(name, [text, plain({ kind: 'lit', value: pattern.value, type: 'string' })], 'boolean'),
          nullable: text.nullable,
        };
      }
      case 'SUBSTRING': {
        arity(2, 3);
        const text = this.string(args[0]!, name);
        const start = this.integerLiteral(args[1]!, 'SUBSTRING start', 1);
        const length = args[2] === undefined ? [] : [this.integerLiteral(args[2], 'SUBSTRING length', 0)];
        return {
          expr: call(
            name,
            [text, ...[start, ...length].map((n) => plain({ kind: 'lit', value: n, type: 'int64' }))],
            'string',
          ),
          nullable: text.nullable,
        };
      }
      case 'REPLACE': {
        arity(3, 3);
        const text = this.string(args[0]!, name);
        const from = args[1]!;
        if (from.kind !== 'string' || from.value === '')
          throw new FormulaError(
            'INVALID_VALUE',
            "REPLACE's second argument must be a non-empty text literal",
            from.position,
          );
        const to = this.string(args[2]!, name);
        return {
          expr: call(name, [text, this.check(from), to], 'string'),
          nullable: text.nullable || to.nullable,
        };
      }
      case 'DATE_DIFF': {
        arity(3, 3);
        const unit = this.unit(args[0]!, DIFF_UNITS, name);
        const [start, end] = [this.temporal(args[1]!, name), this.temporal(args[2]!, name)];
        return {
          expr: {
            kind: 'call',
            fn: 'DATE_DIFF',
            args: [start, end].map((t) => asDateTime(t.expr)),
            unit,
            type: 'int64',
          },
          nullable: start.nullable || end.nullable,
        };
      }
      case 'NOW':
        arity(0, 0);
        return plain({ kind: 'call', fn: 'NOW', args: [], type: 'datetime' });
      default:
        throw new FormulaError(
          'UNKNOWN_FUNCTION',
          `Unknown function ${name}.${didYouMean(name, FUNCTIONS)}`,
          position,
        );
    }
  }

  /** Types a group of branches/arguments to their common type; NULL literals adopt it. */
  private unify(asts: readonly FormulaAst[], fn: string): { typed: Typed[]; type: ColumnType } {
    const typed = asts.map((ast) => this.check(ast));
    let type: ColumnType | undefined;
    typed.forEach((t, i) => {
      if (isNullLiteral(t.expr)) return;
      const next: ColumnType | undefined = type === undefined ? t.expr.type : commonType(type, t.expr.type);
      if (next === undefined)
        throw new FormulaError(
          'TYPE_MISMATCH',
          `${fn} cannot mix ${type} and ${t.expr.type}`,
          asts[i]!.position,
        );
      type = next;
    });
    const common: ColumnType = type ?? 'string';
    return {
      typed: typed.map((t) =>
        isNullLiteral(t.expr) ? { expr: { kind: 'lit', value: null, type: common }, nullable: true } : t,
      ),
      type: common,
    };
  }

  private unit(ast: FormulaAst, units: readonly DateUnit[], fn: string): DateUnit {
    if (ast.kind !== 'string' || !(units as readonly string[]).includes(ast.value.toLowerCase()))
      throw new FormulaError(
        'INVALID_VALUE',
        `${fn}'s first argument must be one of ${units.map((u) => `'${u}'`).join(', ')}`,
        ast.position,
      );
    return ast.value.toLowerCase() as DateUnit;
  }

  private integerLiteral(ast: FormulaAst, what: string, minimum: number): number {
    if (ast.kind !== 'number' || !ast.integer || ast.value < minimum || !Number.isSafeInteger(ast.value))
      throw new FormulaError(
        'INVALID_VALUE',
        `${what} must be an integer literal ≥ ${minimum}`,
        ast.position,
      );
    return ast.value;
  }

  private digits(ast: FormulaAst): number {
    if (ast.kind !== 'number' || !ast.integer || ast.value > MAX_ROUND_DIGITS)
      throw new FormulaError(
        'INVALID_VALUE',
        `ROUND's digits must be an integer literal from 0 to ${MAX_ROUND_DIGITS}`,
        ast.position,
      );
    return ast.value;
  }

  private numeric(ast: FormulaAst, what: string): Typed {
    return this.expect(ast, what, 'a number', isNumeric);
  }

  private boolean(ast: FormulaAst, what: string): Typed {
    return this.expect(ast, what, 'a boolean', (type) => type === 'boolean');
  }

  private string(ast: FormulaAst, what: string): Typed {
    return this.expect(ast, what, 'a string', (type) => type === 'string');
  }

  private temporal(ast: FormulaAst, what: string): Typed {
    return coerceTemporal(
      this.expect(ast, what, 'a date or datetime', (type) => isTemporal(type) || ast.kind === 'string'),
      'datetime',
      ast,
      true,
    );
  }

  private expect(
    ast: FormulaAst,
    what: string,
    expected: string,
    accepts: (type: ColumnType) => boolean,
  ): Typed {
    const typed = this.check(ast);
    if (!accepts(typed.expr.type) && !isNullLiteral(typed.expr))
      throw new FormulaError(
        'TYPE_MISMATCH',
        `${what} expects ${expected}, got ${typed.expr.type}`,
        ast.position,
      );
    return typed;
  }
}

const FUNCTIONS = FORMULA_FUNCTIONS.map((f) => f.name);

const plain = (expr: Expr): Typed => ({ expr, nullable: false });
const call = (fn: ScalarFunction, args: readonly Typed[], type: ColumnType): Expr => ({
  kind: 'call',
  fn,
  args: args.map((a) => a.expr),
  type,
});
const isNullLiteral = (expr: Expr): boolean => expr.kind === 'lit' && expr.value === null;

/**
 * The regular-expression subset every engine reads alike (RE2 on ClickHouse and DuckDB, PostgreSQL's ARE, the
 * oracle's JS): literal characters, `.`, classes `[...]`, groups, `|`, greedy quantifiers, anchors and escaped
 * punctuation. Class escapes (\d \w \s) mean ASCII on RE2 but Unicode on PostgreSQL; lookaround, backreferences,
 * inline flags and lazy quantifiers differ too: all are refused (write [0-9] for \d).
 */
function portableRegexProblem(pattern: string): string | undefined {
  if (pattern === '') return 'the pattern is empty';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== '\\') continue;
    const next = chars[++i];
    if (next === undefined || !/^[\\.^$|?*+()[\]{}/-]$/.test(next))
      return `\\${next ?? ''} is not portable; escape only punctuation (write [0-9] for \\d)`;
  }
  if (/\(\?|[*+?}]\?/.test(pattern)) return 'groups starting with ?, and lazy quantifiers, are not supported';
  try {
    new RegExp(pattern, 'su');
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/**
 * An ISO string literal meeting a date/datetime becomes a datetime literal (`[event_time] >= '2024-01-01'`), zoned
 * like the datetime it meets so every store compares instants.
 */
function coerceTemporal(typed: Typed, other: ColumnType, ast: FormulaAst, required = false): Typed {
  if (ast.kind !== 'string' || (!isTemporal(other) && !required)) return typed;
  const iso = parseIsoDateTime(ast.value);
  if (iso === undefined)
    throw new FormulaError('INVALID_VALUE', `'${ast.value}' is not an ISO date-time`, ast.position);
  return plain({ kind: 'lit', value: iso, type: isDateTime(other) ? other : 'datetime' });
}

/** A date as a datetime at UTC midnight; datetimes (zoned or not) stay as they are: their instants are what counts. */
const asDateTime = (expr: Expr): Expr => (isDateTime(expr.type) ? expr : castTo(expr, 'datetime'));
