import { columnArray } from '../columns.ts';
import { analyze } from '../analyze.ts';
import { compileFormula } from '../formula/index.ts';
import type { Expr } from '../ir.ts';
import type { Acl } from '../nodes/index.ts';
import { isDateTime, isDecimal, isNumeric, isTemporal, type Column, type ColumnType } from '../types.ts';
import type { TableData } from './dataset.ts';

/**
 * The reference evaluator ("oracle"): runs a graph node by node over plain JS arrays with the documented semantics
 * (ARCHITECTURE.md). It is deliberately naive and shares nothing with lower/merge/print — only the parsed configs,
 * the propagated schemas and the typed formula trees come from the engine — so a bug in SQL generation cannot hide
 * behind the same bug here. Values are JS numbers (int64, float64, decimal), epoch milliseconds (datetime, date),
 * strings and booleans; results are turned into the JSON forms the adapters deliver.
 */
type Value = string | number | boolean | null;
type Row = Value[];

interface Relation {
  columns: Column[];
  rows: Row[];
  /** Per row, the rank of its sort key: rows are in order, equal ranks are ties (any order). All 0 = unordered. */
  ranks: number[];
  /**
   * Per sort key, the column that still holds exactly its values (null once a projection dropped or replaced it):
   * whole-row unique keeps the order only when every key is still a column (ARCHITECTURE.md).
   */
  orderColumns: (string | null)[];
  /** False once rows were picked arbitrarily (a sample, a LIMIT cutting through ties): only the count can be checked. */
  determinate: boolean;
}

export interface OracleResult {
  columns: Column[];
  /** JSON forms (see json-value.ts). */
  rows: unknown[][];
  ranks: number[];
  determinate: boolean;
}

export interface OracleOptions {
  acl?: Acl;
  limit?: number;
}

export function evaluateGraph(
  graph: unknown,
  target: string,
  catalog: unknown,
  tables: readonly TableData[],
  options: OracleOptions = {},
): OracleResult {
  const analyzed = analyze(graph, catalog, options.acl ? { acl: options.acl } : {});
  if (!analyzed.ok) throw new Error(`oracle: invalid graph ${JSON.stringify(analyzed.issues)}`);
  const { analysis } = analyzed;
  const results = new Map<string, Relation>();
  const evaluateNode = (id: string): Relation => {
    const known = results.get(id);
    if (known) return known;
    const node = analysis.structure.nodes.get(id)!;
    const inputs = analysis.structure.inputs.get(id)!.map(evaluateNode);
    const schema = analysis.schemas.get(id);
    if (!schema) throw new Error(`oracle: node ${id} is invalid`);
    const relation = evaluate(
      node.type,
      analysis.configs.get(id) as Config,
      inputs,
      columnArray(schema),
      tables,
      options,
    );
    results.set(id, relation);
    return relation;
  };
  let result = evaluateNode(target);
  if (options.limit !== undefined) result = limit(result, options.limit, 0);
  return {
    columns: result.columns,
    rows: result.rows.map((row) => row.map((v, i) => toJson(v, result.columns[i]!.type))),
    ranks: result.ranks,
    determinate: result.determinate,
  };
}

// Configs are already validated by the node's zod schema; the oracle reads them loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Config = any;

function evaluate(
  type: string,
  config: Config,
  inputs: Relation[],
  schema: Column[],
  tables: readonly TableData[],
  options: OracleOptions,
): Relation {
  const [input] = inputs;
  switch (type) {
    case 'data_source':
      return scan(config, schema, tables, options.acl);
    case 'filter':
      return keepRows(input!, (row) => filterCondition(config, input!.columns, row) === true);
    case 'select':
      return project(
        input!,
        schema,
        (config.columns as string[]).map((name) => indexOf(input!, name)),
      );
    case 'rename':
      return project(
        input!,
        schema,
        input!.columns.map((_, i) => i),
      );
    case 'formula':
      return formulas(input!, config);
    case 'sort':
      return sortBy(
        input!,
        (config.sorts as { column: string; direction: 'ASC' | 'DESC' }[]).map((s) => ({
          index: indexOf(input!, s.column),
          direction: s.direction,
        })),
      );
    case 'group_by':
      return aggregate(
        input!,
        config.group_by,
        (config.aggregations as { function: string; column: string }[]).map((a) => ({ ...a })),
        schema,
      );
    case 'pivot':
      return aggregate(input!, [...config.rows, ...config.columns], config.values, schema);
    case 'join':
      return join(inputs[0]!, inputs[1]!, config, schema);
    case 'union':
      return union(inputs, schema, config.mode === 'DISTINCT');
    case 'unique':
      return unique(input!, config.columns as string[] | undefined);
    case 'sample': {
      // A sample keeps the input's order; which rows it draws is the engine's (hash) business, unless it draws all.
      const all = config.percent === undefined && config.n >= input!.rows.length;
      return {
        ...input!,
        determinate: input!.determinate && all,
        rows: input!.rows.slice(0, config.n),
        ranks: input!.ranks.slice(0, config.n),
      };
    }
    case 'table_view':
      return limit(input!, config.page_size, config.page * config.page_size);
    case 'bar_chart':
    case 'line_chart': {
      const sources = [config.x, ...config.y, ...(config.series === undefined ? [] : [config.series])];
      const projected = project(
        input!,
        schema,
        sources.map((name: string) => indexOf(input!, name)),
      );
      const byX = (config.series === undefined ? [0] : [0, sources.length - 1]).map((index) => ({
        index,
        direction: 'ASC' as const,
      }));
      const byValue =
        config.order === 'value_desc' || config.order === 'value_asc'
          ? [{ index: 1, direction: config.order === 'value_desc' ? ('DESC' as const) : ('ASC' as const) }]
          : [];
      return sortBy(projected, [...byValue, ...byX]);
    }
    case 'candlestick': {
      const sources = [config.time, config.open, config.high, config.low, config.close, config.volume].filter(
        (c) => c !== undefined,
      );
      const projected = project(
        input!,
        schema,
        sources.map((name: string) => indexOf(input!, name)),
      );
      return sortBy(projected, [{ index: 0, direction: 'ASC' }]);
    }
    case 'scatter': {
      const sources = [config.x, config.y, config.size, config.color].filter((c) => c !== undefined);
      return project(
        input!,
        schema,
        sources.map((name: string) => indexOf(input!, name)),
      );
    }
    case 'kpi': {
      const sources = [config.value, config.label, config.trend].filter((c) => c !== undefined);
      const projected = project(
        input!,
        schema,
        sources.map((name: string) => indexOf(input!, name)),
      );
      if (config.trend === undefined) return limit(projected, 1, 0);
      return limit(sortBy(projected, [{ index: sources.length - 1, direction: 'DESC' }]), config.points, 0);
    }
    default:
      throw new Error(`oracle: no semantics for node type ${type}`);
  }
}

const indexOf = (relation: Relation, name: string): number => {
  const index = relation.columns.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`oracle: no column ${name}`);
  return index;
};

function scan(
  config: Config,
  schema: Column[],
  tables: readonly TableData[],
  acl: Acl | undefined,
): Relation {
  const table = tables.find((t) => t.table === config.table);
  if (!table) throw new Error(`oracle: no data for ${config.database}.${config.table}`);
  // The ACL's documented rule: `symbol` in the allowed list, the first date/date-time column within the bounds;
  // a bound that does not parse lets nothing through.
  const symbol = table.columns.findIndex((c) => c.name === 'symbol' && c.type === 'string');
  const time = table.columns.findIndex((c) => isTemporal(c.type));
  const bounded = acl?.timeFrom !== undefined || acl?.timeTo !== undefined;
  const from = acl?.timeFrom === undefined ? -Infinity : (parseInstant(acl.timeFrom) ?? NaN);
  // A date-only upper bound on a date-time column covers its whole day (half-open [from, to + 1 day)).
  const endOfDay = time < 0 ? undefined : wholeDay(table.columns[time]!.type, acl?.timeTo);
  const to =
    acl?.timeTo === undefined
      ? Infinity
      : endOfDay !== undefined
        ? endOfDay - 1e-3
        : (parseInstant(acl.timeTo) ?? NaN);
  const allowed = (row: Value[]) =>
    !acl ||
    ((symbol < 0 || !acl.allowedSymbols || acl.allowedSymbols.includes(row[symbol] as string)) &&
      (time < 0 ||
        !bounded ||
        (row[time] !== null && (row[time] as number) >= from && (row[time] as number) <= to)));
  const rows = table.rows
    .map((row) => row.map((v, i) => fromData(v, table.columns[i]!.type)))
    .filter(allowed);
  return { columns: schema, rows, ranks: rows.map(() => 0), orderColumns: [], determinate: true };
}

function fromData(value: string | number | boolean | null, type: ColumnType): Value {
  if (value === null) return null;
  if (isTemporal(type)) return parseInstant(String(value))!;
  if (isNumeric(type)) return Number(value);
  return value;
}

/** ISO date or date-time text (zone-less = UTC) → epoch ms. */
function parseInstant(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    text,
  );
  if (!m) return undefined;
  const zone = m[3] === undefined || m[3] === 'Z' ? 'Z' : `${m[3].slice(0, 3)}:${m[3].slice(-2)}`;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: DAY_MS,
  week: 7 * DAY_MS,
};

function toJson(value: Value, type: ColumnType): unknown {
  if (value === null) return null;
  if (isDateTime(type)) return new Date(value as number).toISOString().replace('T', ' ').slice(0, 23);
  if (type === 'date') return new Date(value as number).toISOString().slice(0, 10);
  return value;
}

function keepRows(input: Relation, keep: (row: Row) => boolean): Relation {
  const kept = input.rows.map((row, i) => [row, input.ranks[i]!] as const).filter(([row]) => keep(row));
  return { ...input, rows: kept.map(([row]) => row), ranks: kept.map(([, rank]) => rank) };
}

function project(input: Relation, schema: Column[], sources: number[]): Relation {
  const orderColumns = input.orderColumns.map((name) => {
    const at = sources.findIndex((i) => name !== null && input.columns[i]!.name === name);
    return at < 0 ? null : schema[at]!.name;
  });
  return {
    ...input,
    columns: schema,
    orderColumns,
    rows: input.rows.map((row) => sources.map((i) => row[i]!)),
  };
}

// ---- filter node ----------------------------------------------------------------------------------------------

interface Condition {
  column: string;
  op: string;
  value?: unknown;
}

function filterCondition(config: Config, columns: Column[], row: Row): boolean | null {
  const results = (config.conditions as Condition[]).map((c) => condition(c, columns, row));
  if (results.length === 0) return true;
  return results.reduce((a, b) => (config.logic === 'OR' ? or(a, b) : and(a, b)));
}

function literal(value: unknown, type: ColumnType): Value {
  if (isDateTime(type)) return parseInstant(String(value))!;
  // A date column meets the UTC calendar day of the instant given.
  if (type === 'date') return Math.floor(parseInstant(String(value))! / DAY_MS) * DAY_MS;
  if (isNumeric(type)) return Number(value);
  return value as Value;
}

function condition(c: Condition, columns: Column[], row: Row): boolean | null {
  const index = columns.findIndex((col) => col.name === c.column);
  const { type } = columns[index]!;
  const v = row[index]!;
  switch (c.op) {
    case 'IS_NULL':
      return v === null;
    case 'IS_NOT_NULL':
      return v !== null;
  }
  if (v === null) return null;
  switch (c.op) {
    case 'IN':
    case 'NOT_IN': {
      const found = (c.value as unknown[]).some((x) => compare(v, literal(x, type), type) === 0);
      return c.op === 'IN' ? found : !found;
    }
    case 'BETWEEN': {
      const [low, high] = (c.value as unknown[]).map((x) => literal(x, type));
      const upTo = wholeDay(type, (c.value as unknown[])[1]);
      return (
        compare(v, low!, type) >= 0 &&
        (upTo === undefined ? compare(v, high!, type) <= 0 : (v as number) < upTo)
      );
    }
    case 'LIKE':
    case 'NOT_LIKE': {
      const matches = like(v as string, c.value as string);
      return c.op === 'LIKE' ? matches : !matches;
    }
    default: {
      const upTo = c.op === '<=' || c.op === '>' ? wholeDay(type, c.value) : undefined;
      if (upTo !== undefined) return c.op === '<=' ? (v as number) < upTo : (v as number) >= upTo;
      return comparison(c.op, compare(v, literal(c.value, type), type));
    }
  }
}

/** A date-only upper bound on a datetime covers the whole day: the end of that day (epoch ms), else undefined. */
function wholeDay(type: ColumnType, value: unknown): number | undefined {
  if (!isDateTime(type) || typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  return parseInstant(value)! + DAY_MS;
}

function comparison(op: string, order: number): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    default:
      return order >= 0;
  }
}

/** `%` any run, `_` one character, backslash escapes the next character. */
function like(text: string, pattern: string): boolean {
  let regex = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\') regex += escapeRegex(chars[++i] ?? '');
    else if (ch === '%') regex += '[\\s\\S]*';
    else if (ch === '_') regex += '[\\s\\S]';
    else regex += escapeRegex(ch);
  }
  return new RegExp(`^${regex}$`, 'u').test(text);
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const and = (a: boolean | null, b: boolean | null): boolean | null =>
  a === false || b === false ? false : a === null || b === null ? null : true;
const or = (a: boolean | null, b: boolean | null): boolean | null =>
  a === true || b === true ? true : a === null || b === null ? null : false;

// ---- ordering ---------------------------------------------------------------------------------------------------

/** Strings order by code point (UTF-8 bytes), as ClickHouse, DuckDB and PostgreSQL under C.UTF-8 do. */
function compare(a: Value, b: Value, type: ColumnType): number {
  if (type === 'string') return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string));
  if (type === 'boolean') return Number(a) - Number(b);
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** NULLs sort last in both directions (the engine's contract on every dialect). */
function compareKeys(a: Row, b: Row, keys: readonly SortSpec[], types: readonly ColumnType[]): number {
  for (const { index, direction } of keys) {
    const [x, y] = [a[index]!, b[index]!];
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
      continue;
    }
    const order = compare(x, y, types[index]!);
    if (order !== 0) return direction === 'DESC' ? -order : order;
  }
  return 0;
}

interface SortSpec {
  index: number;
  direction: 'ASC' | 'DESC';
}

/** ORDER BY replaces an earlier order: ties under the new keys are unordered. */
function sortBy(input: Relation, keys: readonly SortSpec[]): Relation {
  const types = input.columns.map((c) => c.type);
  const rows = [...input.rows].sort((a, b) => compareKeys(a, b, keys, types));
  const ranks: number[] = [];
  rows.forEach((row, i) =>
    ranks.push(i === 0 ? 0 : compareKeys(rows[i - 1]!, row, keys, types) === 0 ? ranks[i - 1]! : i),
  );
  return { ...input, rows, ranks, orderColumns: keys.map((k) => input.columns[k.index]!.name) };
}

/** Rows `offset … offset + count`; arbitrary when the cut splits a group of ties whose rows differ. */
function limit(input: Relation, count: number | null, offset: number): Relation {
  const end = count === null ? input.rows.length : offset + count;
  const cutsTies = (at: number) =>
    at > 0 &&
    at < input.rows.length &&
    input.ranks[at - 1] === input.ranks[at] &&
    input.rows.some(
      (row, i) =>
        input.ranks[i] === input.ranks[at] && JSON.stringify(row) !== JSON.stringify(input.rows[at]),
    );
  return {
    ...input,
    rows: input.rows.slice(offset, end),
    ranks: input.ranks.slice(offset, end),
    determinate: input.determinate && !cutsTies(offset) && !cutsTies(Math.min(end, input.rows.length)),
  };
}

// ---- unique, union, join --------------------------------------------------------------------------------------

const keyOf = (values: readonly Value[]): string => JSON.stringify(values);

/**
 * Without keys: distinct rows. With keys: per key the first row in the input's order, ties broken by the other
 * columns (ascending, NULLs last); kept rows stay in the input's order.
 */
function unique(input: Relation, keyNames: string[] | undefined): Relation {
  // Keys naming every column are whole-row uniqueness.
  const wholeRow = keyNames === undefined || input.columns.every((c) => keyNames.includes(c.name));
  const keyIndexes = wholeRow ? undefined : keyNames.map((name) => indexOf(input, name));
  const keyFor = (row: Row) => keyOf(keyIndexes ? keyIndexes.map((i) => row[i]!) : row);
  const types = input.columns.map((c) => c.type);
  const everyColumn = input.columns.map((_, index) => ({ index, direction: 'ASC' as const }));
  const best = new Map<string, number>();
  input.rows.forEach((row, i) => {
    const key = keyFor(row);
    const current = best.get(key);
    if (
      current === undefined ||
      input.ranks[i]! < input.ranks[current]! ||
      (input.ranks[i] === input.ranks[current] &&
        compareKeys(row, input.rows[current]!, everyColumn, types) < 0)
    )
      best.set(key, i);
  });
  const kept = new Set(best.values());
  // Which duplicate sets a distinct row's place is undefined unless the order is by (unchanged) columns.
  const ordered = keyIndexes !== undefined || input.orderColumns.every((name) => name !== null);
  return {
    ...input,
    rows: input.rows.filter((_, i) => kept.has(i)),
    ranks: input.ranks.filter((_, i) => kept.has(i)).map((rank) => (ordered ? rank : 0)),
    orderColumns: ordered ? input.orderColumns : [],
  };
}

function union(inputs: Relation[], schema: Column[], distinct: boolean): Relation {
  const rows = inputs.flatMap((input) => {
    const sources = schema.map((c) => indexOf(input, c.name));
    return input.rows.map((row) => sources.map((i) => row[i]!));
  });
  const deduped = distinct ? [...new Map(rows.map((r) => [keyOf(r), r])).values()] : rows;
  return {
    columns: schema,
    rows: deduped,
    ranks: deduped.map(() => 0),
    orderColumns: [],
    determinate: inputs.every((i) => i.determinate),
  };
}

function join(left: Relation, right: Relation, config: Config, schema: Column[]): Relation {
  const pairs = (config.keys as { left: string; right: string }[]).map((pair) => {
    const leftIndex = indexOf(left, pair.left);
    const as: ColumnType = left.columns[leftIndex]!.type === 'string' ? 'string' : 'float64';
    return { left: leftIndex, right: indexOf(right, pair.right), as };
  });
  // SQL equality: a NULL key on either side matches nothing.
  const matches = (l: Row, r: Row) =>
    pairs.every(
      (p) => l[p.left] !== null && r[p.right] !== null && compare(l[p.left]!, r[p.right]!, p.as) === 0,
    );
  const nullsLeft = left.columns.map(() => null);
  const nullsRight = right.columns.map(() => null);
  const rows: Row[] = [];
  const matchedRight = new Set<number>();
  for (const l of left.rows) {
    let matched = false;
    right.rows.forEach((r, j) => {
      if (!matches(l, r)) return;
      matched = true;
      matchedRight.add(j);
      rows.push([...l, ...r]);
    });
    if (!matched && (config.join_type === 'LEFT' || config.join_type === 'FULL'))
      rows.push([...l, ...nullsRight]);
  }
  if (config.join_type === 'RIGHT' || config.join_type === 'FULL')
    right.rows.forEach((r, j) => {
      if (!matchedRight.has(j)) rows.push([...nullsLeft, ...r]);
    });
  return {
    columns: schema,
    rows,
    ranks: rows.map(() => 0),
    orderColumns: [],
    determinate: left.determinate && right.determinate,
  };
}

// ---- aggregation ----------------------------------------------------------------------------------------------

function aggregate(
  input: Relation,
  keyNames: string[],
  specs: { function: string; column: string }[],
  schema: Column[],
): Relation {
  const keyIndexes = keyNames.map((name) => indexOf(input, name));
  const groups = new Map<string, Row[]>();
  for (const row of input.rows) {
    const key = keyOf(keyIndexes.map((i) => row[i]!));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  // Without keys there is exactly one group, even over no rows.
  if (keyIndexes.length === 0 && groups.size === 0) groups.set('[]', []);
  const rows = [...groups.values()].map((members) => [
    ...keyIndexes.map((i) => members[0]![i]!),
    ...specs.map((spec) => aggregateValue(spec, input, members)),
  ]);
  const grouped = {
    columns: schema,
    rows,
    ranks: rows.map(() => 0),
    orderColumns: [],
    determinate: input.determinate,
  };
  // Groups come out ordered by their keys, ascending (keys are the first columns).
  return sortBy(
    grouped,
    keyNames.map((_, index) => ({ index, direction: 'ASC' as const })),
  );
}

function aggregateValue(spec: { function: string; column: string }, input: Relation, rows: Row[]): Value {
  if (spec.column === '*') return rows.length;
  const index = indexOf(input, spec.column);
  const { type } = input.columns[index]!;
  const values = rows.map((r) => r[index]!).filter((v) => v !== null);
  switch (spec.function) {
    case 'count':
      return values.length;
    case 'count_distinct':
      return new Set(values.map((v) => keyOf([v]))).size;
    case 'sum':
      return values.length === 0 ? null : (values as number[]).reduce((a, b) => a + b, 0);
    case 'avg':
      return values.length === 0 ? null : (values as number[]).reduce((a, b) => a + b, 0) / values.length;
    default: {
      if (values.length === 0) return null;
      const sign = spec.function === 'min' ? 1 : -1;
      return values.reduce((best, v) => (sign * compare(v, best, type) < 0 ? v : best));
    }
  }
}

// ---- formulas -------------------------------------------------------------------------------------------------

function formulas(input: Relation, config: Config): Relation {
  let relation = input;
  for (const { name, expression } of config.formulas as { name: string; expression: string }[]) {
    const compiled = compileFormula(expression, relation.columns);
    if (!compiled.ok) throw new Error(`oracle: formula ${expression}: ${compiled.message}`);
    const column: Column = { name, type: compiled.expr.type, nullable: compiled.nullable };
    const values = relation.rows.map((row) => evalExpr(compiled.expr, relation.columns, row));
    const at = relation.columns.findIndex((c) => c.name === name);
    relation = {
      ...relation,
      orderColumns: relation.orderColumns.map((c) => (c === name ? null : c)),
      columns:
        at >= 0 ? relation.columns.map((c, i) => (i === at ? column : c)) : [...relation.columns, column],
      rows: relation.rows.map((row, r) =>
        at >= 0 ? row.map((v, i) => (i === at ? values[r]! : v)) : [...row, values[r]!],
      ),
    };
  }
  return relation;
}

export function evalExpr(expr: Expr, columns: readonly Column[], row: Row): Value {
  const go = (e: Expr): Value => evalExpr(e, columns, row);
  switch (expr.kind) {
    case 'col':
      return row[columns.findIndex((c) => c.name === expr.name)]!;
    case 'lit':
      if (expr.value !== null && isTemporal(expr.type)) return parseInstant(String(expr.value))!;
      return expr.value;
    case 'not': {
      const v = go(expr.arg);
      return v === null ? null : !v;
    }
    case 'neg': {
      const v = go(expr.arg);
      return v === null ? null : -(v as number);
    }
    // Widening keeps the JS value: int64, decimal and float64 are numbers, date and datetime epoch milliseconds.
    case 'cast':
      return go(expr.arg);
    case 'isNull':
      return (go(expr.arg) === null) !== expr.negated;
    case 'if':
      return go(expr.cond) === true ? go(expr.then) : go(expr.else);
    case 'binary':
      return binary(expr, go);
    case 'call':
      return call(expr, expr.args.map(go));
    default:
      throw new Error(`oracle: no formula semantics for ${expr.kind}`);
  }
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, go: (e: Expr) => Value): Value {
  const { op } = expr;
  if (op === 'AND' || op === 'OR') {
    const [a, b] = [go(expr.left), go(expr.right)] as (boolean | null)[];
    return op === 'AND' ? and(a!, b!) : or(a!, b!);
  }
  const [a, b] = [go(expr.left), go(expr.right)];
  if (a === null || b === null) return null;
  switch (op) {
    case '+':
      return (a as number) + (b as number);
    case '-':
      return (a as number) - (b as number);
    case '*':
      return (a as number) * (b as number);
    case '/':
      return b === 0 ? null : (a as number) / (b as number);
    case '%':
      return b === 0 ? null : (a as number) % (b as number);
    default: {
      const type =
        expr.left.type === 'string' ? 'string' : expr.left.type === 'boolean' ? 'boolean' : 'float64';
      return comparison(op, compare(a, b, type));
    }
  }
}

function call(expr: Extract<Expr, { kind: 'call' }>, args: Value[]): Value {
  const [first] = args;
  if (expr.fn === 'CONCAT') return args.map((a) => (a === null ? '' : String(a))).join('');
  if (expr.fn === 'COALESCE') return args.find((a) => a !== null) ?? null;
  if (expr.fn === 'NOW') return Date.now();
  if (expr.fn === 'GREATEST' || expr.fn === 'LEAST') {
    const present = args.filter((a) => a !== null);
    if (present.length === 0) return null;
    const sign = expr.fn === 'GREATEST' ? -1 : 1;
    const type = expr.type === 'string' ? 'string' : 'float64';
    return present.reduce((best, v) => (sign * compare(v, best, type) < 0 ? v : best));
  }
  if (args.some((a) => a === null)) return null;
  if (first === null || first === undefined) return null;
  switch (expr.fn) {
    case 'ROUND': {
      const type = expr.args[0]!.type;
      const digits = args[1] as number;
      if (type === 'int64') return first;
      if (isDecimal(type)) return roundDecimal(first as number, digits);
      const scale = 10 ** digits;
      return (Math.sign(first as number) * Math.floor(Math.abs(first as number) * scale + 0.5)) / scale;
    }
    case 'ABS':
      return Math.abs(first as number);
    case 'LOWER':
      return (first as string).toLowerCase();
    case 'UPPER':
      return (first as string).toUpperCase();
    case 'LENGTH':
      return [...(first as string)].length;
    case 'YEAR':
      return new Date(first as number).getUTCFullYear();
    case 'MONTH':
      return new Date(first as number).getUTCMonth() + 1;
    case 'DAY':
      return new Date(first as number).getUTCDate();
    case 'HOUR':
      return new Date(first as number).getUTCHours();
    case 'DATE_TRUNC':
      return truncate(first as number, expr.unit!);
    case 'SQRT':
      return (first as number) < 0 ? null : Math.sqrt(first as number);
    case 'LN':
      return (first as number) <= 0 ? null : Math.log(first as number);
    case 'EXP':
      return Math.exp(first as number);
    case 'POWER': {
      const [base, exponent] = args as number[];
      return (base! < 0 && !Number.isInteger(exponent)) || (base === 0 && exponent! < 0)
        ? null
        : base! ** exponent!;
    }
    case 'REGEXP_MATCH':
      return new RegExp(args[1] as string, 'su').test(first as string);
    case 'SUBSTRING': {
      const chars = [...(first as string)];
      const start = (args[1] as number) - 1;
      return chars.slice(start, args[2] === undefined ? undefined : start + (args[2] as number)).join('');
    }
    case 'REPLACE':
      return (first as string).replaceAll(args[1] as string, args[2] as string);
    case 'DATE_DIFF':
      return Math.trunc(((args[1] as number) - (first as number)) / UNIT_MS[expr.unit!]!);
    default:
      throw new Error(`oracle: no semantics for ${expr.fn}`);
  }
}

/** Half away from zero on the decimal digits (decimal values are exact in the engines). */
function roundDecimal(value: number, digits: number): number {
  const [whole, fraction = ''] = Math.abs(value)
    .toFixed(Math.max(digits + 1, 12))
    .split('.');
  const kept = `${whole}${fraction.slice(0, digits)}`;
  const up = Number(fraction[digits] ?? '0') >= 5;
  const scaled = BigInt(kept) + (up ? 1n : 0n);
  return (Math.sign(value) * Number(scaled)) / 10 ** digits;
}

function truncate(ms: number, unit: string): number {
  const d = new Date(ms);
  const [y, mo, day, h, mi, s] = [
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ];
  switch (unit) {
    case 'second':
      return Date.UTC(y, mo, day, h, mi, s);
    case 'minute':
      return Date.UTC(y, mo, day, h, mi);
    case 'hour':
      return Date.UTC(y, mo, day, h);
    case 'day':
      return Date.UTC(y, mo, day);
    case 'week':
      return Date.UTC(y, mo, day) - ((d.getUTCDay() + 6) % 7) * DAY_MS;
    case 'month':
      return Date.UTC(y, mo, 1);
    case 'quarter':
      return Date.UTC(y, mo - (mo % 3), 1);
    default:
      return Date.UTC(y, 0, 1);
  }
}
