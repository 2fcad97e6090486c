import type { Columns } from './columns.ts';
import { asComparable, children, exprSize, substitute, type Expr, type Rel, type SortKey } from './ir.ts';
import type { FromItem, JoinClause, Query, SelectBlock } from './sql.ts';
import { Scope } from './scope.ts';

/** Expression nodes an inlined column may grow to before the merge prefers a subquery. */
const MAX_INLINED_SIZE = 100;
/**
 * Expression nodes one block's WHERE may hold. Inlining repeats earlier computed columns in every later condition,
 * so a long derive/filter chain would grow quadratically; past this budget the computed columns are projected once
 * in a subquery and referenced, which keeps SQL size and compile time linear in the number of nodes.
 */
const MAX_BLOCK_SIZE = 400;

/**
 * Folds relational IR into the fewest SELECT blocks (after PRQL's anchor.rs). A block absorbs steps in the order SQL
 * evaluates its clauses; every "does this step need a new SELECT level?" decision is `splits` below, one table.
 *
 * Order is a property of the relation (`Open.order`), not only of a block's ORDER BY: it survives filters,
 * projections, first-row-per-key and limits, and the block that needs it (a LIMIT/OFFSET, the query's outermost
 * block) prints it again after a subquery. Aggregation, joins and unions drop it.
 *
 * Blocks are immutable, so every relation's state is memoized and per-node SQL costs no re-merging.
 */
interface Open {
  kind: 'open';
  block: Omit<SelectBlock, 'columns'>;
  /** Output column name → its expression over this block's FROM scope (`marked` = computed columns). */
  env: Env;
  /** The relation's row order over this block's scope; [] = unordered. */
  order: SortKey[];
  /** The block's ORDER BY serves something else (first row per key, a row sample) than `order`. */
  reordered: boolean;
}

type State = Open | { kind: 'closed'; query: Query };

type Env = Scope<Expr>;
const isComputed = (expr: Expr): boolean => expr.kind !== 'col';
const envOf = (entries: Iterable<readonly [string, Expr]>): Env => Scope.of(entries, isComputed);

/** SQL evaluates a SELECT's clauses in this order. */
type Clause = 'where' | 'group' | 'having' | 'select' | 'distinct' | 'distinctOn' | 'order' | 'limit';

type Step = 'filter' | 'project' | 'aggregate' | 'sort' | 'limit' | 'distinct' | 'distinctOn' | 'sample';

/**
 * The split table. A step lands in one clause (`into`); it may join a block whose clauses that SQL evaluates after
 * `into` are all ones the step commutes with. `blockedBy` lists the later clauses it does not commute with — then the
 * block becomes a subquery and the step starts a new one. `ordered`: a LIMIT/OFFSET needs the relation's own order,
 * which a block whose ORDER BY serves first-row-per-key or a sample cannot give.
 *
 * | step | into | blocked by |
 * |---|---|---|
 * | filter | WHERE (HAVING once grouped) | DISTINCT ON, LIMIT |
 * | project computing/dropping columns | SELECT | DISTINCT, DISTINCT ON |
 * | aggregate | GROUP BY | GROUP BY, DISTINCT, DISTINCT ON, LIMIT |
 * | sort | ORDER BY | DISTINCT ON, LIMIT |
 * | limit | LIMIT | a reordered block when the relation is ordered |
 * | distinct (whole row) | DISTINCT | DISTINCT ON, LIMIT |
 * | distinct on keys | DISTINCT ON | DISTINCT, DISTINCT ON, LIMIT |
 * | sample | WHERE / ORDER BY + LIMIT | GROUP BY, DISTINCT, DISTINCT ON, LIMIT |
 */
const SPLIT: Record<Step, { into: Clause; blockedBy: readonly Clause[] }> = {
  filter: { into: 'where', blockedBy: ['distinctOn', 'limit'] },
  project: { into: 'select', blockedBy: ['distinct', 'distinctOn'] },
  aggregate: { into: 'group', blockedBy: ['group', 'distinct', 'distinctOn', 'limit'] },
  sort: { into: 'order', blockedBy: ['distinctOn', 'limit'] },
  limit: { into: 'limit', blockedBy: [] },
  distinct: { into: 'distinct', blockedBy: ['distinctOn', 'limit'] },
  distinctOn: { into: 'distinctOn', blockedBy: ['distinct', 'distinctOn', 'limit'] },
  sample: { into: 'where', blockedBy: ['group', 'distinct', 'distinctOn', 'limit'] },
};

function clausesIn(block: Open['block']): Set<Clause> {
  const used = new Set<Clause>();
  if (block.where.length > 0) used.add('where');
  if (block.groupBy !== null) used.add('group');
  if (block.having.length > 0) used.add('having');
  if (block.distinct) used.add('distinct');
  if (block.distinctOn !== null) used.add('distinctOn');
  if (block.orderBy.length > 0) used.add('order');
  if (block.limit !== null || block.offset > 0) used.add('limit');
  return used;
}

/** The one split decision: whether `step` must read `s` as a subquery instead of joining its block. */
export function splits(s: State, step: Step): boolean {
  if (s.kind === 'closed') return true;
  const used = clausesIn(s.block);
  if (SPLIT[step].blockedBy.some((clause) => used.has(clause))) return true;
  return step === 'limit' && s.reordered && s.order.length > 0;
}

export class Merger {
  private readonly memo = new Map<Rel, State>();
  private aliases = 0;

  /** The query of `rel` as a result: its outermost block prints the relation's order. */
  query(rel: Rel): Query {
    const s = this.state(rel);
    if (s.kind === 'closed') return s.query;
    const ordered = s.reordered && s.order.length > 0 ? this.wrap(s, rel.schema) : s;
    return finish(withOrder(ordered), rel.schema);
  }

  private state(rel: Rel): State {
    let state = this.memo.get(rel);
    if (!state) {
      state = this.fold(rel);
      this.memo.set(rel, state);
    }
    return state;
  }

  private alias(): string {
    return `${this.aliases++}`;
  }

  private fold(rel: Rel): State {
    switch (rel.kind) {
      case 'scan': {
        const alias = this.alias();
        const from: FromItem = { kind: 'table', database: rel.table.database, table: rel.table.table, alias };
        return open(
          from,
          envOf(rel.schema.map((c) => [c.name, { kind: 'col', name: c.name, type: c.type, table: alias }])),
        );
      }
      case 'filter': {
        let s = this.reopen(rel.input, 'filter');
        let predicate = conjuncts(inline(rel.predicate, s.env));
        if (s.block.groupBy !== null) return b(s, { having: [...s.block.having, ...predicate] });
        let total = whereWeight(s.block.where) + weight(predicate);
        if (total > MAX_BLOCK_SIZE && s.env.marked > 0) {
          s = this.wrap(s, rel.input.schema);
          predicate = conjuncts(inline(rel.predicate, s.env));
          total = weight(predicate);
        }
        const where = [...s.block.where, ...predicate];
        whereWeights.set(where, total);
        return b(s, { where });
      }
      case 'project': {
        // Renaming or reordering whole columns changes nothing DISTINCT depends on.
        const state = this.state(rel.input);
        const s =
          isPermutation(rel.columns, rel.input.schema) && state.kind === 'open'
            ? state
            : this.reopen(rel.input, 'project');
        const env = envOf(rel.columns.map((c) => [c.name, inline(c.expr, s.env)]));
        // A keyless aggregation is one only while an aggregate is selected: without one it would return every row.
        if (s.block.groupBy?.length === 0 && !env.values().some(hasAggregate)) {
          const wrapped = this.wrap(s, rel.input.schema);
          return { ...wrapped, env: envOf(rel.columns.map((c) => [c.name, inline(c.expr, wrapped.env)])) };
        }
        // Inlining repeats computed columns; past a size (e.g. formulas that each use the previous one twice grow
        // exponentially) a subquery keeps the SQL small instead. Columns passed through unchanged were measured when
        // they were computed, so only this step's own expressions are.
        const grows = rel.columns.some(
          (c) =>
            (c.expr.kind !== 'col' || c.expr.name !== c.name) &&
            exprSize(env.get(c.name)!, MAX_INLINED_SIZE) > MAX_INLINED_SIZE,
        );
        if (grows && s.env.marked > 0) {
          const wrapped = this.wrap(s, rel.input.schema);
          return { ...wrapped, env: envOf(rel.columns.map((c) => [c.name, inline(c.expr, wrapped.env)])) };
        }
        return { ...s, env };
      }
      case 'extend': {
        // Adding a column that repeats an existing one changes nothing DISTINCT depends on.
        const state = this.state(rel.input);
        const replaces = state.kind === 'open' && state.env.get(rel.name) !== undefined;
        const s =
          rel.expr.kind === 'col' && !replaces && state.kind === 'open'
            ? state
            : this.reopen(rel.input, 'project');
        const expr = inline(rel.expr, s.env);
        const env = s.env.set(rel.name, expr);
        // As for a projection: a keyless aggregation needs an aggregate, and a large inlined expression a subquery.
        const dropsAggregates = s.block.groupBy?.length === 0 && !env.values().some(hasAggregate);
        const grows = exprSize(expr, MAX_INLINED_SIZE) > MAX_INLINED_SIZE && s.env.marked > 0;
        if (dropsAggregates || grows) {
          const wrapped = this.wrap(s, rel.input.schema);
          return { ...wrapped, env: wrapped.env.set(rel.name, inline(rel.expr, wrapped.env)) };
        }
        return { ...s, env };
      }
      case 'aggregate': {
        // Aggregation drops the order, so a subquery below it carries none.
        const input = this.state(rel.input);
        const s = splits(input, 'aggregate')
          ? this.wrap(unordered(input), rel.input.schema)
          : (input as Open);
        const keys = rel.groupBy.map((k) => inline(k.expr, s.env));
        // A literal in GROUP BY would read as a column position; such keys go through a subquery instead.
        if (keys.some((k) => k.kind === 'lit'))
          return this.aggregateOver(this.wrap(s, rel.input.schema), rel);
        return this.aggregateOver(s, rel);
      }
      case 'sort': {
        const s = this.reopen(rel.input, 'sort');
        // ORDER BY a literal would read as a column position and orders nothing anyway.
        const keys = rel.keys
          .map((k) => ({ ...k, expr: inline(k.expr, s.env) }))
          .filter((k) => k.expr.kind !== 'lit');
        return { ...b(s, { orderBy: keys }), order: keys, reordered: false };
      }
      case 'limit': {
        const s = withOrder(this.reopen(rel.input, 'limit'));
        const { limit, offset } = s.block;
        const combinedLimit =
          limit === null
            ? rel.limit
            : rel.limit === null
              ? Math.max(0, limit - rel.offset)
              : Math.min(rel.limit, Math.max(0, limit - rel.offset));
        return b(s, { limit: combinedLimit, offset: offset + rel.offset });
      }
      case 'distinct':
        return this.distinct(rel);
      case 'sample': {
        const s = this.reopen(rel.input, 'sample');
        const random: Expr = {
          kind: 'random',
          seed: rel.seed,
          over: rel.schema.map((c) => s.env.get(c.name)!),
          type: 'float64',
        };
        const where =
          rel.percent === null ? s.block.where : [...s.block.where, lessThan(random, rel.percent / 100)];
        if (rel.rows === null) return b(s, { where });
        // The sample keeps the relation's order; its own ORDER BY only draws the rows.
        return {
          ...b(s, { where, orderBy: [{ expr: random, direction: 'ASC' }], limit: rel.rows }),
          reordered: true,
        };
      }
      case 'join':
        return this.join(rel);
      case 'union': {
        const parts = rel.inputs
          .map((input) => finish(unordered(this.state(input)), input.schema))
          .flatMap((q) => (q.kind === 'union' && q.all === rel.all ? q.parts : [q]));
        return { kind: 'closed', query: { kind: 'union', all: rel.all, parts } };
      }
    }
  }

  /** The input's block if `step` may join it (see `splits`), else a new block reading it. */
  private reopen(input: Rel, step: Step): Open {
    const s = this.state(input);
    if (!splits(s, step)) return s as Open;
    return this.wrap(s, input.schema);
  }

  /**
   * A new block reading `s` as a subquery. The relation's order carries over: each sort key becomes a reference to
   * the output column with the same expression, or to a hidden column the subquery adds for it.
   */
  private wrap(s: State, schema: Columns): Open {
    const alias = this.alias();
    const outer = (name: string, expr: Expr): Expr => ({ kind: 'col', name, type: expr.type, table: alias });
    const env = envOf(
      schema.map((c): [string, Expr] => [c.name, { kind: 'col', name: c.name, type: c.type, table: alias }]),
    );
    if (s.kind === 'closed' || s.order.length === 0) {
      return open({ kind: 'query', query: finish(s, schema), alias }, env);
    }
    const hidden: { name: string; expr: Expr }[] = [];
    const order = s.order.map((key) => {
      const visible = schema.find((c) => sameExpr(s.env.get(c.name)!, key.expr));
      if (visible) return { ...key, expr: outer(visible.name, key.expr) };
      let name = `_order_${hidden.length}`;
      while (schema.some((c) => c.name === name)) name = `_${name}`;
      hidden.push({ name, expr: key.expr });
      return { ...key, expr: outer(name, key.expr) };
    });
    const inner = finish(s, schema);
    const query = inner.kind === 'select' ? { ...inner, columns: [...inner.columns, ...hidden] } : inner;
    return { ...open({ kind: 'query', query, alias }, env), order };
  }

  private aggregateOver(s: Open, rel: Extract<Rel, { kind: 'aggregate' }>): Open {
    const keys = rel.groupBy.map((k) => ({ name: k.name, expr: inline(k.expr, s.env) }));
    const aggregates = rel.aggregates.map((a) => ({ name: a.name, expr: inline(a.expr, s.env) }));
    // Aggregation does not keep row order.
    return {
      ...b(s, { groupBy: keys.map((k) => k.expr), orderBy: [] }),
      order: [],
      reordered: false,
      env: envOf([...keys, ...aggregates].map((c) => [c.name, c.expr])),
    };
  }

  private distinct(rel: Extract<Rel, { kind: 'distinct' }>): State {
    if (rel.on === null) {
      const s = this.reopen(rel.input, 'distinct');
      const outputs = rel.schema.map((c) => s.env.get(c.name)!);
      // DISTINCT keeps the order only when it sorts by selected expressions (which row of duplicates sets the place
      // is otherwise undefined).
      const order = s.order.every((k) => outputs.some((o) => sameExpr(o, k.expr))) ? s.order : [];
      return { ...b(s, { distinct: true, orderBy: order }), order, reordered: false };
    }
    const input = this.reopen(rel.input, 'distinctOn');
    // A key that inlines to a literal (a constant formula) would read as a column position: key a subquery instead.
    const s = rel.on.some((name) => input.env.get(name)!.kind === 'lit')
      ? this.wrap(input, rel.input.schema)
      : input;
    const outputs = rel.schema.map((c) => s.env.get(c.name)!);
    const keys = rel.on.map((name) => s.env.get(name)!);
    // The kept row is the first by key, then by the input's order, then by every other column: the same on every engine.
    const rest = outputs.filter((o) => o.kind !== 'lit' && !keys.some((k) => sameExpr(k, o)));
    const orderBy: SortKey[] = [...keys.map(asc), ...s.order, ...rest.map(asc)];
    return { ...b(s, { distinctOn: keys, orderBy }), reordered: true };
  }

  private join(rel: Extract<Rel, { kind: 'join' }>): State {
    const { joinType } = rel;
    // A side's WHERE may move into the joined block only where it keeps its meaning: filters on the preserved side
    // stay in WHERE, filters on the null-supplying side go into ON; FULL preserves both sides, so neither can move.
    const leftFilterClause =
      joinType === 'INNER' || joinType === 'LEFT' ? 'where' : joinType === 'RIGHT' ? 'on' : null;
    const rightFilterClause =
      joinType === 'INNER' || joinType === 'LEFT' ? 'on' : joinType === 'RIGHT' ? 'where' : null;
    // A computed column on the null-supplying side must be NULL for unmatched rows, which an inlined expression
    // (`'n/a'`, `COALESCE(x, 0)`) is not: such a side is joined as a subquery of plain columns.
    const plainSide = (s: State, clause: 'where' | 'on' | null, nullSupplying: boolean): s is Open =>
      s.kind === 'open' &&
      !s.reordered &&
      s.block.groupBy === null &&
      !s.block.distinct &&
      s.block.distinctOn === null &&
      s.block.limit === null &&
      s.block.offset === 0 &&
      (s.block.where.length === 0 || clause !== null) &&
      !(nullSupplying && s.env.marked > 0);

    const leftState = this.state(rel.left);
    const left = plainSide(leftState, leftFilterClause, joinType === 'RIGHT' || joinType === 'FULL')
      ? leftState
      : this.wrap(unordered(leftState), rel.left.schema);
    const rightState = this.state(rel.right);
    // A self-join (both sides read the same scan) would reuse the scan's alias: the right side then needs its own scope.
    const leftAliases = [left.block.from, ...left.block.joins.map((j) => j.source)].map((f) => f.alias);
    const right =
      plainSide(rightState, rightFilterClause, joinType === 'LEFT' || joinType === 'FULL') &&
      rightState.block.joins.length === 0 &&
      !leftAliases.includes(rightState.block.from.alias)
        ? rightState
        : this.wrap(unordered(rightState), rel.right.schema);

    const keyMatches = rel.keys.map((pair): Expr => {
      const [leftKey, rightKey] = asComparable(left.env.get(pair.left)!, right.env.get(pair.right)!);
      return { kind: 'binary', op: '=', left: leftKey, right: rightKey, type: 'boolean' };
    });
    const moved = { where: [] as Expr[], on: [] as Expr[] };
    if (leftFilterClause) moved[leftFilterClause].push(...left.block.where);
    if (rightFilterClause) moved[rightFilterClause].push(...right.block.where);
    const clause: JoinClause = { joinType, source: right.block.from, on: [...keyMatches, ...moved.on] };
    const env = envOf(
      rel.columns.map((c) => [c.name, (c.side === 'left' ? left : right).env.get(c.source)!]),
    );
    // A join does not keep the left side's order.
    return {
      kind: 'open',
      order: [],
      reordered: false,
      env,
      block: { ...left.block, joins: [...left.block.joins, clause], where: moved.where, orderBy: [] },
    };
  }
}

function open(from: FromItem, env: Env): Open {
  return {
    kind: 'open',
    order: [],
    reordered: false,
    env,
    block: {
      kind: 'select',
      from,
      joins: [],
      where: [],
      groupBy: null,
      having: [],
      distinct: false,
      distinctOn: null,
      orderBy: [],
      limit: null,
      offset: 0,
    },
  };
}

/** A copy of the state with some block clauses replaced. */
function b(s: Open, changes: Partial<Open['block']>): Open {
  return { ...s, block: { ...s.block, ...changes } };
}

/** The block printing the relation's order (after a subquery, its ORDER BY is empty until something needs it). */
function withOrder(s: Open): Open {
  return s.reordered || s.block.orderBy.length > 0 || s.order.length === 0 ? s : b(s, { orderBy: s.order });
}

/**
 * Where the relation's order is dropped (join sides, aggregation, union parts): wrapping carries no hidden sort
 * columns, and an ORDER BY that only served the order goes too — one serving a LIMIT/OFFSET, first-row-per-key or a
 * sample stays.
 */
function unordered(s: State): State {
  if (s.kind === 'closed') return s;
  const needed = s.reordered || s.block.limit !== null || s.block.offset > 0;
  return { ...s, order: [], block: needed ? s.block : { ...s.block, orderBy: [] } };
}

function finish(s: State, schema: Columns): Query {
  if (s.kind === 'closed') return s.query;
  return { ...s.block, columns: schema.map((c) => ({ name: c.name, expr: s.env.get(c.name)! })) };
}

/** `a AND b AND c` as [a, b, c], so clauses list conditions flat instead of nesting parentheses. */
const conjuncts = (expr: Expr): Expr[] =>
  expr.kind === 'binary' && expr.op === 'AND' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
const inline = (expr: Expr, env: Env): Expr =>
  expr.kind === 'col' ? env.get(expr.name)! : substitute(expr, (name) => env.get(name)!);
const asc = (expr: Expr): SortKey => ({ expr, direction: 'ASC' });
const lessThan = (expr: Expr, bound: number): Expr => ({
  kind: 'binary',
  op: '<',
  left: expr,
  right: { kind: 'lit', value: bound, type: 'float64' },
  type: 'boolean',
});

/** Whether a projection only renames/reorders whole columns (so it cannot change DISTINCT's result). */
function isPermutation(columns: readonly { expr: Expr }[], input: Columns): boolean {
  const sources = new Set<string>();
  for (const c of columns) {
    if (c.expr.kind !== 'col') return false;
    sources.add(c.expr.name);
  }
  return input.every((c) => sources.has(c.name));
}

/** Total expression nodes of the list, counting stops past the block budget. */
function weight(exprs: readonly Expr[]): number {
  let total = 0;
  for (const e of exprs) {
    total += exprSize(e, MAX_BLOCK_SIZE);
    if (total > MAX_BLOCK_SIZE) return total;
  }
  return total;
}

/** A WHERE list's weight, remembered per list: each filter of a chain adds to the previous list's. */
const whereWeights = new WeakMap<readonly Expr[], number>();
function whereWeight(where: readonly Expr[]): number {
  let total = whereWeights.get(where);
  if (total === undefined) {
    total = weight(where);
    whereWeights.set(where, total);
  }
  return total;
}

const hasAggregate = (expr: Expr): boolean => expr.kind === 'agg' || children(expr).some(hasAggregate);

function sameExpr(a: Expr, b: Expr): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
