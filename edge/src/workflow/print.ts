import { dateArgumentProblem, type Arg, type Dialect } from './dialects/dialect.ts';
import type { Expr, SortKey } from './ir.ts';
import type { FromItem, Query, SelectBlock } from './sql.ts';
import { isDateTime, isDecimal, timeZoneOf } from './types.ts';

/** Binding strength, loosest first; an operand binding looser than its operator gets parentheses. */
const PRECEDENCE = {
  or: 10,
  and: 20,
  not: 30,
  comparison: 40,
  additive: 50,
  multiplicative: 60,
  negate: 70,
  atom: 100,
} as const;

interface Printed {
  sql: string;
  precedence: number;
}

const BINARY_PRECEDENCE: Record<string, number> = {
  OR: PRECEDENCE.or,
  AND: PRECEDENCE.and,
  '+': PRECEDENCE.additive,
  '-': PRECEDENCE.additive,
  '*': PRECEDENCE.multiplicative,
  '/': PRECEDENCE.multiplicative,
  '%': PRECEDENCE.multiplicative,
};

/** Prints a merged query. Table aliases are renamed t0, t1… in order of appearance, so output is deterministic. */
export function printQuery(query: Query, dialect: Dialect): string {
  const printer = new Printer(dialect, aliasNames(query));
  const sql = printer.query(query, '');
  if (!dialect.settings) return sql;
  const settings = [...(hasOuterJoin(query) ? [dialect.settings.outerJoin] : []), ...printer.settings];
  return settings.length > 0 ? `${sql}\nSETTINGS ${settings.join(', ')}` : sql;
}

class Printer {
  constructor(
    private readonly dialect: Dialect,
    private readonly aliases: ReadonlyMap<string, string>,
  ) {}

  /** Settings the printed functions need (see `Dialect.settings`), in order of first use. */
  readonly settings = new Set<string>();

  /** Per block: whether column references carry their table alias (see `needsQualifiedColumns`). */
  private qualify = false;

  /**
   * Printed expressions by object, one map per `qualify` (the only state an expression's text depends on). Merging
   * inlines a computed column by reference, so a chain's conditions share their subtrees: printed once each, the
   * text is joined instead of rebuilt, and printing stays linear in the IR instead of in the SQL it repeats.
   */
  private readonly printed = [new Map<Expr, Printed>(), new Map<Expr, Printed>()] as const;

  query(query: Query, indent: string): string {
    if (query.kind === 'select') return this.select(query, indent);
    const operator = query.all ? 'UNION ALL' : this.dialect.unionDistinct;
    return query.parts
      .map((part) =>
        part.kind === 'union' ||
        part.orderBy.length > 0 ||
        part.limit !== null ||
        part.offset > 0 ||
        part.distinctOn
          ? `(${this.query(part, indent)})`
          : this.query(part, indent),
      )
      .reduce((text, part) => `${text}\n${indent}${operator}\n${indent}${part}`);
  }

  private select(block: SelectBlock, indent: string): string {
    const outer = this.qualify;
    this.qualify = needsQualifiedColumns(block);
    const lines: string[] = [];
    const distinct = block.distinct
      ? 'DISTINCT '
      : block.distinctOn && this.dialect.distinctOn === 'distinct-on'
        ? `DISTINCT ON (${this.list(block.distinctOn)}) `
        : '';
    const aliasAll = this.dialect.qualifiedNamesInJoins && block.joins.length > 0;
    const passed = passedThrough(block);
    const items = block.columns.slice(passed).map((c) => this.selectItem(c.name, c.expr, aliasAll));
    if (passed > 0) items.unshift(`${this.dialect.quoteIdentifier(this.aliases.get(block.from.alias)!)}.*`);
    lines.push(`SELECT ${distinct}${items.join(', ')}`);
    lines.push(`FROM ${this.from(block.from, indent)}`);
    for (const join of block.joins)
      lines.push(`${join.joinType} JOIN ${this.from(join.source, indent)} ON ${this.conjunction(join.on)}`);
    if (block.where.length > 0) lines.push(`WHERE ${this.conjunction(block.where)}`);
    if (block.groupBy !== null && block.groupBy.length > 0)
      lines.push(`GROUP BY ${this.list(block.groupBy)}`);
    if (block.having.length > 0) lines.push(`HAVING ${this.conjunction(block.having)}`);
    if (block.orderBy.length > 0)
      lines.push(`ORDER BY ${block.orderBy.map((k) => this.sortKey(k)).join(', ')}`);
    if (block.distinctOn && this.dialect.distinctOn === 'limit-by')
      lines.push(`LIMIT 1 BY ${this.list(block.distinctOn)}`);
    if (block.limit !== null) lines.push(`LIMIT ${block.limit}`);
    if (block.offset > 0) lines.push(`OFFSET ${block.offset}`);
    this.qualify = outer;
    // Concatenated, not joined: `join` copies each part into a new flat string, and a subquery's text is a part of
    // every level above it (quadratic in the nesting depth); `+` links the parts, copied once when the SQL is read.
    return lines.reduce((text, line) => `${text}\n${indent}${line}`);
  }

  private selectItem(name: string, expr: Expr, alias: boolean): string {
    const sql =
      this.dialect.integerPredicates && expr.type === 'boolean' && expr.kind !== 'col' && expr.kind !== 'lit'
        ? this.dialect.cast(this.operand(expr, PRECEDENCE.or), 'boolean')
        : this.expr(expr).sql;
    return expr.kind === 'col' && expr.name === name && !alias
      ? sql
      : `${sql} AS ${this.dialect.quoteIdentifier(name)}`;
  }

  private from(item: FromItem, indent: string): string {
    const alias = this.dialect.quoteIdentifier(this.aliases.get(item.alias)!);
    if (item.kind === 'query')
      return `(\n${indent}  ${this.query(item.query, `${indent}  `)}\n${indent}) AS ${alias}`;
    const table = `${this.dialect.quoteIdentifier(item.database)}.${this.dialect.quoteIdentifier(item.table)}`;
    return this.qualify ? `${table} AS ${alias}` : table;
  }

  private sortKey(key: SortKey): string {
    const nullsLast = key.direction === 'DESC' && this.dialect.nullsLastOnDesc ? ' NULLS LAST' : '';
    return `${this.operand(key.expr, PRECEDENCE.or)}${key.direction === 'DESC' ? ' DESC' : ''}${nullsLast}`;
  }

  private list(exprs: readonly Expr[]): string {
    return exprs.map((e) => this.operand(e, PRECEDENCE.or)).join(', ');
  }

  private conjunction(exprs: readonly Expr[]): string {
    return exprs.map((e) => this.operand(e, PRECEDENCE.and + 1)).join(' AND ');
  }

  /** Prints `expr`, parenthesized when it binds looser than `minimum`. */
  private operand(expr: Expr, minimum: number): string {
    const printed = this.expr(expr);
    return printed.precedence < minimum ? `(${printed.sql})` : printed.sql;
  }

  private arg(expr: Expr): Arg {
    return { sql: this.operand(expr, PRECEDENCE.or), type: expr.type };
  }

  private expr(expr: Expr): Printed {
    const printed = this.printed[this.qualify ? 1 : 0];
    let known = printed.get(expr);
    if (!known) {
      known = this.print(expr);
      printed.set(expr, known);
    }
    return known;
  }

  private print(expr: Expr): Printed {
    const d = this.dialect;
    const atom = (sql: string): Printed => ({ sql, precedence: PRECEDENCE.atom });
    switch (expr.kind) {
      case 'col': {
        const name = d.quoteIdentifier(expr.name);
        return atom(
          this.qualify && expr.table !== undefined
            ? `${d.quoteIdentifier(this.aliases.get(expr.table)!)}.${name}`
            : name,
        );
      }
      case 'lit':
        return this.literal(expr);
      case 'binary':
        return this.binary(expr);
      case 'not':
        return { sql: `NOT ${this.operand(expr.arg, PRECEDENCE.not)}`, precedence: PRECEDENCE.not };
      case 'neg':
        return { sql: `-${this.operand(expr.arg, PRECEDENCE.atom)}`, precedence: PRECEDENCE.negate };
      case 'cast':
        return atom(d.cast(this.operand(expr.arg, PRECEDENCE.or), expr.type, expr.arg.type));
      case 'isNull':
        return {
          sql: `${this.operand(expr.arg, PRECEDENCE.comparison + 1)} IS ${expr.negated ? 'NOT ' : ''}NULL`,
          precedence: PRECEDENCE.comparison,
        };
      case 'in': {
        // An empty list matches nothing (NOT IN: everything); `IN ()` is not valid SQL.
        if (expr.values.length === 0) return atom(expr.negated ? 'TRUE' : 'FALSE');
        const values = expr.values.map((v) => this.operand(v, PRECEDENCE.or)).join(', ');
        return {
          sql: `${this.operand(expr.arg, PRECEDENCE.comparison + 1)} ${expr.negated ? 'NOT IN' : 'IN'} (${values})`,
          precedence: PRECEDENCE.comparison,
        };
      }
      case 'between': {
        const [arg, low, high] = [expr.arg, expr.low, expr.high].map((e) =>
          this.operand(e, PRECEDENCE.comparison + 1),
        );
        return { sql: `${arg} BETWEEN ${low} AND ${high}`, precedence: PRECEDENCE.comparison };
      }
      case 'like':
        return {
          sql: d.like(
            this.operand(expr.arg, PRECEDENCE.comparison + 1),
            this.operand(expr.pattern, PRECEDENCE.comparison + 1),
            expr.negated,
          ),
          precedence: PRECEDENCE.comparison,
        };
      case 'if':
        return atom(
          d.ifThenElse(
            this.operand(expr.cond, PRECEDENCE.or),
            this.operand(expr.then, PRECEDENCE.or),
            this.operand(expr.else, PRECEDENCE.or),
          ),
        );
      case 'call': {
        const refused = dateArgumentProblem(
          d,
          expr.fn,
          expr.args.map((a) => a.type),
        );
        // validate reports such a call on its node, so compile never gets here with one.
        if (refused) throw new Error(`Cannot print: ${refused}`);
        const setting = d.settings?.functions[expr.fn];
        if (setting) this.settings.add(setting);
        return atom(
          d.call(
            expr.fn,
            expr.args.map((a) => this.arg(a)),
            expr.unit,
          ),
        );
      }
      case 'agg':
        return atom(d.aggregate(expr.fn, expr.arg && this.arg(expr.arg), expr.type));
      case 'random':
        return atom(
          `(${d.random(
            expr.seed,
            expr.over.map((a) => this.arg(a)),
          )})`,
        );
    }
  }

  private literal(expr: Extract<Expr, { kind: 'lit' }>): Printed {
    const { value, type } = expr;
    const d = this.dialect;
    let sql: string;
    if (value === null) sql = 'NULL';
    else if (typeof value === 'boolean') sql = value ? 'TRUE' : 'FALSE';
    else if (typeof value === 'number') {
      const text = type === 'float64' ? d.floatLiteral(String(value)) : String(value);
      sql = value < 0 || Object.is(value, -0) ? `(${text})` : text;
    } else if (isDateTime(type)) sql = d.dateTimeLiteral(value, timeZoneOf(type));
    else if (type === 'date') sql = d.dateLiteral(value);
    else sql = d.stringLiteral(value);
    return { sql, precedence: PRECEDENCE.atom };
  }

  private binary(expr: Extract<Expr, { kind: 'binary' }>): Printed {
    const { op } = expr;
    const precedence = BINARY_PRECEDENCE[op] ?? PRECEDENCE.comparison;
    if (precedence === PRECEDENCE.comparison) {
      const [left, right] = [expr.left, expr.right].map((e) => this.operand(e, PRECEDENCE.comparison + 1));
      return { sql: `${left} ${op === '!=' ? '<>' : op} ${right}`, precedence };
    }
    if (op === 'AND' || op === 'OR') {
      return {
        sql: `${this.operand(expr.left, precedence)} ${op} ${this.operand(expr.right, precedence)}`,
        precedence,
      };
    }
    // Decimal operands of float arithmetic are computed in float64 (see types.ts: decimals widen to float64).
    const operand = (e: Expr, minimum: number): Arg => {
      const sql = this.operand(e, minimum);
      return expr.type === 'float64' && isDecimal(e.type)
        ? { sql: this.dialect.cast(sql, 'float64'), type: 'float64' }
        : { sql, type: e.type };
    };
    if (op === '/' || op === '%') {
      const print = op === '/' ? this.dialect.divide : this.dialect.modulo;
      return {
        sql: print.call(
          this.dialect,
          operand(expr.left, PRECEDENCE.multiplicative),
          operand(expr.right, PRECEDENCE.or),
        ),
        precedence,
      };
    }
    // Left-associative: the right operand needs parentheses at equal strength (a - (b - c)).
    return {
      sql: `${operand(expr.left, precedence).sql} ${op} ${operand(expr.right, precedence + 1).sql}`,
      precedence,
    };
  }
}

/**
 * Column references are qualified when a block joins tables, or when a select item is not a plain same-named
 * column: then an output alias could be confused with a source column (ClickHouse resolves aliases in WHERE, and
 * PostgreSQL/DuckDB resolve output names first in ORDER BY).
 */
function needsQualifiedColumns(block: SelectBlock): boolean {
  return block.joins.length > 0 || block.columns.some((c) => c.expr.kind !== 'col' || c.expr.name !== c.name);
}

/**
 * How many leading columns of a block reading a subquery are that subquery's columns, all of them, unchanged and in
 * order: they print as `alias.*`. A chain of formulas split over several levels would otherwise list every column at
 * every level, and its SQL grow quadratically. Aggregating blocks always list their columns.
 */
function passedThrough(block: SelectBlock): number {
  const { from } = block;
  if (
    from.kind !== 'query' ||
    from.query.kind !== 'select' ||
    block.groupBy !== null ||
    block.joins.length > 0
  )
    return 0;
  const inner = from.query.columns;
  if (inner.length > block.columns.length) return 0;
  for (let i = 0; i < inner.length; i++) {
    const { name, expr } = block.columns[i]!;
    if (name !== inner[i]!.name || expr.kind !== 'col' || expr.name !== name || expr.table !== from.alias)
      return 0;
  }
  return inner.length;
}

function fromItems(query: Query): FromItem[] {
  if (query.kind === 'union') return query.parts.flatMap(fromItems);
  return [query.from, ...query.joins.map((j) => j.source)].flatMap((item) =>
    item.kind === 'query' ? [item, ...fromItems(item.query)] : [item],
  );
}

function aliasNames(query: Query): Map<string, string> {
  const names = new Map<string, string>();
  for (const item of fromItems(query)) if (!names.has(item.alias)) names.set(item.alias, `t${names.size}`);
  return names;
}

function hasOuterJoin(query: Query): boolean {
  if (query.kind === 'union') return query.parts.some(hasOuterJoin);
  const nested = [query.from, ...query.joins.map((j) => j.source)].some(
    (f) => f.kind === 'query' && hasOuterJoin(f.query),
  );
  return nested || query.joins.some((j) => j.joinType !== 'INNER');
}
