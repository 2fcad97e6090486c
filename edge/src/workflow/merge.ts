import { exprSize, substitute, type Expr, type Rel, type SortKey } from './ir.ts';
import type { FromItem, JoinClause, Query, SelectBlock } from './sql.ts';
import type { Column } from './types.ts';

/** Expression nodes an inlined column may grow to before the merge prefers a subquery. */
const MAX_INLINED_SIZE = 100;

/**
 * Folds relational IR into the fewest SELECT blocks (after PRQL's anchor.rs). A block absorbs operations in SQL clause
 * order — FROM/JOIN, WHERE, GROUP BY, HAVING, SELECT, DISTINCT, ORDER BY, LIMIT — and a new block (a subquery) starts
 * only when an operation would have to land in a clause that SQL evaluates earlier than one already used:
 *
 * - filter: WHERE, or HAVING once aggregated; computed columns are inlined rather than wrapped; after LIMIT/sample/
 *   DISTINCT ON → wrap.
 * - project: absorbed (expressions are substituted); after DISTINCT only if it keeps every column; wraps when
 *   inlining would grow an expression past MAX_INLINED_SIZE nodes.
 * - aggregate: wraps an already aggregated, distinct, limited or sampled block.
 * - sort: replaces ORDER BY (sort never splits), except after LIMIT/sample/DISTINCT ON.
 * - limit: intersects with an existing LIMIT/OFFSET.
 * - join: absorbs a side that is a plain scan (+ filters, moved to WHERE or ON where that keeps the semantics).
 * - union: always its own query; whatever follows reads it as a subquery.
 *
 * Blocks are immutable, so every relation's query is memoized and per-node SQL costs no re-merging.
 */
interface Open {
  kind: 'open';
  block: Omit<SelectBlock, 'columns'>;
  /** Output column name → its expression over this block's FROM scope. */
  env: ReadonlyMap<string, Expr>;
  /** A sample of n rows is an ORDER BY random + LIMIT that nothing may be reordered under. */
  sampled: boolean;
}

type State = Open | { kind: 'closed'; query: Query };

export class Merger {
  private readonly memo = new Map<Rel, State>();
  private aliases = 0;

  query(rel: Rel): Query {
    return finish(this.state(rel), rel.schema);
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
          new Map(rel.schema.map((c) => [c.name, { kind: 'col', name: c.name, type: c.type, table: alias }])),
        );
      }
      case 'filter': {
        const s = this.reopen(rel.input, (b) => b.limit !== null || b.distinctOn !== null);
        const predicate = conjuncts(inline(rel.predicate, s.env));
        return b(
          s,
          s.block.groupBy !== null
            ? { having: [...s.block.having, ...predicate] }
            : { where: [...s.block.where, ...predicate] },
        );
      }
      case 'project': {
        const keepsRows = (block: Open['block']) =>
          (block.distinct || block.distinctOn !== null) && !isPermutation(rel.columns, rel.input.schema);
        const s = this.reopen(rel.input, keepsRows, true);
        const env = new Map(rel.columns.map((c) => [c.name, inline(c.expr, s.env)]));
        // Inlining repeats computed columns; past a size (e.g. formulas that each use the previous one twice grow
        // exponentially) a subquery keeps the SQL small instead.
        const inlinesComputed = [...s.env.values()].some((e) => e.kind !== 'col');
        if (
          inlinesComputed &&
          [...env.values()].some((e) => exprSize(e, MAX_INLINED_SIZE) > MAX_INLINED_SIZE)
        ) {
          const wrapped = this.wrap(s, rel.input.schema);
          return { ...wrapped, env: new Map(rel.columns.map((c) => [c.name, inline(c.expr, wrapped.env)])) };
        }
        return { ...s, env };
      }
      case 'aggregate': {
        const s = this.reopen(
          rel.input,
          (b) => b.groupBy !== null || b.distinct || b.distinctOn !== null || b.limit !== null,
        );
        const keys = rel.groupBy.map((k) => inline(k.expr, s.env));
        // A literal in GROUP BY would read as a column position; such keys go through a subquery instead.
        if (keys.some((k) => k.kind === 'lit'))
          return this.aggregateOver(this.wrap(s, rel.input.schema), rel);
        return this.aggregateOver(s, rel);
      }
      case 'sort': {
        const s = this.reopen(rel.input, (b) => b.limit !== null || b.distinctOn !== null);
        // ORDER BY a literal would read as a column position and orders nothing anyway.
        const keys = rel.keys
          .map((k) => ({ ...k, expr: inline(k.expr, s.env) }))
          .filter((k) => k.expr.kind !== 'lit');
        return b(s, { orderBy: keys });
      }
      case 'limit': {
        const s = this.reopen(rel.input, () => false, true);
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
        const s = this.reopen(
          rel.input,
          (b) => b.groupBy !== null || b.distinct || b.distinctOn !== null || b.limit !== null,
        );
        const random: Expr = {
          kind: 'random',
          seed: rel.seed,
          over: rel.schema.map((c) => s.env.get(c.name)!),
          type: 'float64',
        };
        const where =
          rel.percent === null ? s.block.where : [...s.block.where, lessThan(random, rel.percent / 100)];
        if (rel.rows === null) return b(s, { where });
        return {
          ...b(s, { where, orderBy: [{ expr: random, direction: 'ASC' }], limit: rel.rows }),
          sampled: true,
        };
      }
      case 'join':
        return this.join(rel);
      case 'union': {
        const parts = rel.inputs
          .map((input) => this.query(input))
          .flatMap((q) => (q.kind === 'union' && q.all === rel.all ? q.parts : [q]));
        return { kind: 'closed', query: { kind: 'union', all: rel.all, parts } };
      }
    }
  }

  /**
   * The input's block if it is open and `mustWrap` does not object, else a new block reading it. Only row-wise
   * projections and LIMIT may join a sampled block: anything else would change which rows the sample drew from.
   */
  private reopen(input: Rel, mustWrap: (block: Open['block']) => boolean, sampleSafe = false): Open {
    const s = this.state(input);
    if (s.kind === 'open' && (sampleSafe || !s.sampled) && !mustWrap(s.block)) return s;
    return this.wrap(s, input.schema);
  }

  private wrap(s: State, schema: readonly Column[]): Open {
    const alias = this.alias();
    const from: FromItem = { kind: 'query', query: finish(s, schema), alias };
    return open(
      from,
      new Map(schema.map((c) => [c.name, { kind: 'col', name: c.name, type: c.type, table: alias }])),
    );
  }

  private aggregateOver(s: Open, rel: Extract<Rel, { kind: 'aggregate' }>): Open {
    const keys = rel.groupBy.map((k) => ({ name: k.name, expr: inline(k.expr, s.env) }));
    const aggregates = rel.aggregates.map((a) => ({ name: a.name, expr: inline(a.expr, s.env) }));
    // Aggregation does not keep row order, so an earlier ORDER BY is dropped.
    return {
      ...b(s, { groupBy: keys.map((k) => k.expr), orderBy: [] }),
      env: new Map([...keys, ...aggregates].map((c) => [c.name, c.expr])),
    };
  }

  private distinct(rel: Extract<Rel, { kind: 'distinct' }>): State {
    const s = this.reopen(rel.input, (b) => b.limit !== null || b.distinctOn !== null);
    const outputs = rel.schema.map((c) => s.env.get(c.name)!);
    if (rel.on === null) {
      // DISTINCT keeps no order of its own; an ORDER BY survives only when it sorts by selected expressions.
      const orderBy = s.block.orderBy.every((k) => outputs.some((o) => sameExpr(o, k.expr)))
        ? s.block.orderBy
        : [];
      return b(s, { distinct: true, orderBy });
    }
    const keys = rel.on.map((name) => s.env.get(name)!);
    // The kept row is the first by key, then by the input's order, then by every other column: the same on every engine.
    const rest = outputs.filter((o) => !keys.some((k) => sameExpr(k, o)));
    const orderBy: SortKey[] = [...keys.map(asc), ...s.block.orderBy, ...rest.map(asc)];
    return b(s, { distinctOn: keys, orderBy });
  }

  private join(rel: Extract<Rel, { kind: 'join' }>): State {
    const { joinType } = rel;
    // A side's WHERE may move into the joined block only where it keeps its meaning: filters on the preserved side
    // stay in WHERE, filters on the null-supplying side go into ON; FULL preserves both sides, so neither can move.
    const leftFilterClause =
      joinType === 'INNER' || joinType === 'LEFT' ? 'where' : joinType === 'RIGHT' ? 'on' : null;
    const rightFilterClause =
      joinType === 'INNER' || joinType === 'LEFT' ? 'on' : joinType === 'RIGHT' ? 'where' : null;
    const plainSide = (block: Open['block'], clause: 'where' | 'on' | null) =>
      block.groupBy === null &&
      !block.distinct &&
      block.distinctOn === null &&
      block.limit === null &&
      (block.where.length === 0 || clause !== null);

    const leftState = this.state(rel.left);
    const left =
      leftState.kind === 'open' && !leftState.sampled && plainSide(leftState.block, leftFilterClause)
        ? leftState
        : this.wrap(leftState, rel.left.schema);
    const rightState = this.state(rel.right);
    // A self-join (both sides read the same scan) would reuse the scan's alias: the right side then needs its own scope.
    const leftAliases = [left.block.from, ...left.block.joins.map((j) => j.source)].map((f) => f.alias);
    const right =
      rightState.kind === 'open' &&
      !rightState.sampled &&
      rightState.block.joins.length === 0 &&
      plainSide(rightState.block, rightFilterClause) &&
      !leftAliases.includes(rightState.block.from.alias)
        ? rightState
        : this.wrap(rightState, rel.right.schema);

    const keyMatch: Expr = {
      kind: 'binary',
      op: '=',
      left: left.env.get(rel.leftKey)!,
      right: right.env.get(rel.rightKey)!,
      type: 'boolean',
    };
    const moved = { where: [] as Expr[], on: [] as Expr[] };
    if (leftFilterClause) moved[leftFilterClause].push(...left.block.where);
    if (rightFilterClause) moved[rightFilterClause].push(...right.block.where);
    const clause: JoinClause = { joinType, source: right.block.from, on: [keyMatch, ...moved.on] };
    const env = new Map(
      rel.columns.map((c) => [c.name, (c.side === 'left' ? left : right).env.get(c.source)!]),
    );
    // A join does not keep the left side's order.
    return {
      kind: 'open',
      sampled: false,
      env,
      block: { ...left.block, joins: [...left.block.joins, clause], where: moved.where, orderBy: [] },
    };
  }
}

function open(from: FromItem, env: Map<string, Expr>): Open {
  return {
    kind: 'open',
    sampled: false,
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

function finish(s: State, schema: readonly Column[]): Query {
  if (s.kind === 'closed') return s.query;
  return { ...s.block, columns: schema.map((c) => ({ name: c.name, expr: s.env.get(c.name)! })) };
}

/** `a AND b AND c` as [a, b, c], so clauses list conditions flat instead of nesting parentheses. */
const conjuncts = (expr: Expr): Expr[] =>
  expr.kind === 'binary' && expr.op === 'AND' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
const inline = (expr: Expr, env: ReadonlyMap<string, Expr>): Expr =>
  substitute(expr, (name) => env.get(name)!);
const asc = (expr: Expr): SortKey => ({ expr, direction: 'ASC' });
const lessThan = (expr: Expr, bound: number): Expr => ({
  kind: 'binary',
  op: '<',
  left: expr,
  right: { kind: 'lit', value: bound, type: 'float64' },
  type: 'boolean',
});

/** Whether a projection only renames/reorders whole columns (so it cannot change DISTINCT's result). */
function isPermutation(columns: readonly { expr: Expr }[], input: readonly Column[]): boolean {
  const sources = columns.map((c) => (c.expr.kind === 'col' ? c.expr.name : undefined));
  return input.every((c) => sources.includes(c.name)) && sources.every((s) => s !== undefined);
}

function sameExpr(a: Expr, b: Expr): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
