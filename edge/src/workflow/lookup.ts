import { z } from 'zod';
import type { Expr, Literal, Rel, TableRef } from './ir.ts';
import type { Columns } from './columns.ts';
import { isTemporal, type ColumnType } from './types.ts';

/**
 * The redis store's query language. A table there is a family of hashes, one per symbol (`latest.quote` =
 * `latest:quote:{symbol}`, written by the workers); a workflow over it compiles to this plan instead of SQL: which
 * hashes to read (by symbol, or all of them), then conditions, columns, order and a row window applied to the hashes
 * read. The adapter only does the I/O; `lookupRows` (pure) turns the hashes into rows.
 */
const comparison = z.enum(['=', '!=', '<', '<=', '>', '>=']);
const literal = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const lookupPlanSchema = z.object({
  lookup: z.object({ database: z.string(), table: z.string() }),
  /** Hashes to read by symbol; null = every hash of the table. */
  symbols: z.array(z.string()).nullable(),
  /** ANDed conditions on hash fields (`symbol` is the key's suffix). */
  where: z.array(
    z.union([
      z.object({ field: z.string(), type: z.string(), op: comparison, value: literal }),
      z.object({
        field: z.string(),
        type: z.string(),
        op: z.literal('in'),
        values: z.array(literal),
        negated: z.boolean(),
      }),
      z.object({ field: z.string(), type: z.string(), op: z.literal('is_null'), negated: z.boolean() }),
    ]),
  ),
  /** Output columns in order: `field` is the hash field (or `symbol`) each one reads. */
  columns: z.array(z.object({ name: z.string(), field: z.string(), type: z.string() })),
  sort: z.array(z.object({ field: z.string(), type: z.string(), direction: z.enum(['ASC', 'DESC']) })),
  offset: z.number().int().min(0),
  limit: z.number().int().min(0).nullable(),
});

export type LookupPlan = z.infer<typeof lookupPlanSchema>;
export type LookupCondition = LookupPlan['where'][number];

/** The column a hash's key carries; every other column is a field of the hash. */
export const LOOKUP_KEY_COLUMN = 'symbol';

export const LOOKUP_SHAPES =
  'the redis store answers point lookups: data source → filters (symbol = / IN, columns compared with values, AND) → ' +
  'select / rename → sort → limit';

type Planned = { ok: true; plan: LookupPlan } | { ok: false; message: string };

interface State {
  table: TableRef;
  symbols: string[] | null;
  where: LookupCondition[];
  /** Current column name → the hash field it reads, and its type. */
  fields: Map<string, { field: string; type: ColumnType }>;
  order: Columns;
  sort: LookupPlan['sort'];
  offset: number;
  limit: number | null;
}

class Unsupported extends Error {}

/** The lookup plan of a lowered relation, or why it has none (a shape no hash read can answer). */
export function planLookup(rel: Rel): Planned {
  try {
    const s = walk(rel);
    return {
      ok: true,
      plan: {
        lookup: s.table,
        symbols: s.symbols && [...new Set(s.symbols)].sort(),
        where: s.where,
        columns: s.order.map((c) => ({ name: c.name, field: s.fields.get(c.name)!.field, type: c.type })),
        sort: s.sort,
        offset: s.offset,
        limit: s.limit,
      },
    };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, message: `${error.message}: ${LOOKUP_SHAPES}` };
    throw error;
  }
}

function walk(rel: Rel): State {
  switch (rel.kind) {
    case 'scan':
      return {
        table: rel.table,
        symbols: null,
        where: [],
        fields: new Map(rel.schema.map((c) => [c.name, { field: c.name, type: c.type }])),
        order: rel.schema,
        sort: [],
        offset: 0,
        limit: null,
      };
    case 'filter': {
      const s = walk(rel.input);
      if (s.limit !== null || s.offset > 0) throw new Unsupported('A filter after a row limit');
      for (const part of conjuncts(rel.predicate)) restrict(s, part);
      return s;
    }
    case 'project': {
      const s = walk(rel.input);
      const fields = new Map<string, { field: string; type: ColumnType }>();
      for (const c of rel.columns) {
        if (c.expr.kind !== 'col') throw new Unsupported(`The computed column "${c.name}"`);
        fields.set(c.name, s.fields.get(c.expr.name)!);
      }
      return { ...s, fields, order: rel.schema };
    }
    case 'extend': {
      const s = walk(rel.input);
      if (rel.expr.kind !== 'col') throw new Unsupported(`The computed column "${rel.name}"`);
      const fields = new Map(s.fields).set(rel.name, s.fields.get(rel.expr.name)!);
      return { ...s, fields, order: rel.schema };
    }
    case 'sort': {
      const s = walk(rel.input);
      if (s.limit !== null || s.offset > 0) throw new Unsupported('A sort after a row limit');
      const keys = rel.keys.map((k) => {
        if (k.expr.kind !== 'col') throw new Unsupported('A sort on a computed value');
        return { ...s.fields.get(k.expr.name)!, direction: k.direction };
      });
      // A later sort decides; the earlier one only breaks its ties (as the SQL of nested ORDER BYs is read here).
      return { ...s, sort: [...keys, ...s.sort.filter((k) => !keys.some((n) => n.field === k.field))] };
    }
    case 'limit': {
      const s = walk(rel.input);
      const offset = s.offset + rel.offset;
      const remaining = s.limit === null ? null : Math.max(0, s.limit - rel.offset);
      const limit =
        remaining === null ? rel.limit : rel.limit === null ? remaining : Math.min(remaining, rel.limit);
      return { ...s, offset, limit };
    }
    default:
      throw new Unsupported(`A ${rel.kind} step`);
  }
}

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

const valueOf = (e: Expr): Literal | undefined =>
  e.kind === 'lit' ? e.value : e.kind === 'cast' && e.arg.kind === 'lit' ? e.arg.value : undefined;

function restrict(s: State, e: Expr): void {
  if (e.kind === 'lit' && e.value === true) return;
  // The ACL of a tenant allowed no symbol at all.
  if (e.kind === 'lit' && e.value === false) {
    s.symbols = [];
    return;
  }
  const fieldOf = (x: Expr) => (x.kind === 'col' ? s.fields.get(x.name) : undefined);
  if (e.kind === 'binary' && comparison.safeParse(e.op).success) {
    const op = e.op as z.infer<typeof comparison>;
    const [field, value, flipped] =
      fieldOf(e.left) !== undefined
        ? [fieldOf(e.left), valueOf(e.right), false]
        : [fieldOf(e.right), valueOf(e.left), true];
    if (field === undefined || value === undefined)
      throw new Unsupported('A condition that is not a column compared with a value');
    if (field.field === LOOKUP_KEY_COLUMN && op === '=')
      return narrow(s, value === null ? [] : [String(value)]);
    s.where.push({ ...field, op: flipped ? FLIP[op] : op, value });
    return;
  }
  if (e.kind === 'in') {
    const field = fieldOf(e.arg);
    const values = e.values.map(valueOf);
    if (field === undefined || values.some((v) => v === undefined))
      throw new Unsupported('An IN list over a computed value');
    const literals = values as Literal[];
    if (field.field === LOOKUP_KEY_COLUMN && !e.negated)
      return narrow(
        s,
        literals.filter((v) => v !== null).map((v) => String(v)),
      );
    s.where.push({ ...field, op: 'in', values: literals, negated: e.negated });
    return;
  }
  if (e.kind === 'between') {
    const field = fieldOf(e.arg);
    const [low, high] = [valueOf(e.low), valueOf(e.high)];
    if (field === undefined || low === undefined || high === undefined)
      throw new Unsupported('A BETWEEN over a computed value');
    s.where.push({ ...field, op: '>=', value: low }, { ...field, op: '<=', value: high });
    return;
  }
  if (e.kind === 'isNull') {
    const field = fieldOf(e.arg);
    if (field === undefined) throw new Unsupported('A null test of a computed value');
    s.where.push({ ...field, op: 'is_null', negated: e.negated });
    return;
  }
  throw new Unsupported(`A ${e.kind === 'binary' ? e.op : e.kind} condition`);
}

const FLIP = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

function narrow(s: State, symbols: string[]): void {
  s.symbols = s.symbols === null ? symbols : s.symbols.filter((x) => symbols.includes(x));
}

/** One hash as read: the symbol from its key and its fields as stored (strings). */
export interface LookupRecord {
  symbol: string;
  fields: Record<string, string>;
}

/**
 * The plan's rows from the hashes read. Values take the column's type (numbers for numeric columns, `YYYY-MM-DD
 * HH:MM:SS.mmm` UTC for times, as the SQL stores answer); a missing field is null and fails every comparison.
 */
export function lookupRows(plan: LookupPlan, records: readonly LookupRecord[]): unknown[][] {
  const read = (r: LookupRecord, field: string): Literal =>
    field === LOOKUP_KEY_COLUMN ? r.symbol : (r.fields[field] ?? null);
  const kept = records.filter((r) => plan.where.every((c) => holds(c, read(r, c.field))));
  const sorted = kept.sort((a, b) => {
    for (const k of plan.sort) {
      const d = compareValues(read(a, k.field), read(b, k.field), k.type);
      if (d !== 0) return k.direction === 'ASC' ? d : -d;
    }
    return 0;
  });
  const end = plan.limit === null ? undefined : plan.offset + plan.limit;
  return sorted.slice(plan.offset, end).map((r) => plan.columns.map((c) => typed(read(r, c.field), c.type)));
}

function holds(c: LookupCondition, value: Literal): boolean {
  if (c.op === 'is_null') return (value === null) !== c.negated;
  if (value === null) return false;
  if (c.op === 'in') {
    const found = c.values.some((v) => v !== null && compareValues(value, v, c.type) === 0);
    return c.negated ? !found && !c.values.includes(null) : found;
  }
  if (c.value === null) return false;
  const d = compareValues(value, c.value, c.type);
  switch (c.op) {
    case '=':
      return d === 0;
    case '!=':
      return d !== 0;
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    case '>=':
      return d >= 0;
  }
}

/** Hash fields are strings: compared as numbers or instants when both sides read as one, else as text. NULLs last. */
function compareValues(a: Literal, b: Literal, type?: string): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (type === 'string') return compareText(String(a), String(b));
  const na = Number(a);
  const nb = Number(b);
  if (typeof a !== 'boolean' && typeof b !== 'boolean' && a !== '' && b !== '' && !isNaN(na) && !isNaN(nb))
    return na - nb;
  const ta = instant(a);
  const tb = instant(b);
  if (ta !== undefined && tb !== undefined) return ta - tb;
  return compareText(String(a), String(b));
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Epoch ms of an ISO or `YYYY-MM-DD[ HH:MM:SS[.fff]]` (UTC) text. */
function instant(v: Literal): number | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined;
  const iso = v.includes('T') ? v : v.replace(' ', 'T');
  const t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso.slice(10)) ? iso : `${iso}Z`);
  return isNaN(t) ? undefined : t;
}

function typed(value: Literal, type: string): Literal {
  if (value === null) return null;
  if (type === 'int64' || type === 'float64' || type.startsWith('decimal')) {
    const n = Number(value);
    return isNaN(n) ? null : n;
  }
  // Zoned datetimes too: the value is the UTC instant.
  if (isTemporal(type as ColumnType)) {
    const t = instant(value);
    if (t === undefined) return null;
    const iso = new Date(t).toISOString();
    return type === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  }
  if (type === 'boolean') return value === true || value === 'true' || value === '1';
  return String(value);
}
