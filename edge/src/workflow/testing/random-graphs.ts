import fc from 'fast-check';
import { aggregateFunctionsFor } from '../nodes/aggregation.ts';
import { filterOpsFor } from '../nodes/filter.ts';
import { propagate } from '../propagate.ts';
import { isNumeric, isTemporal, type Column, type ColumnType } from '../types.ts';
import type { TableData } from './dataset.ts';

/**
 * Random valid graphs for differential fuzzing (fuzz.test.ts): a small table with NULLs, ties, duplicates, unicode and
 * hostile strings, and a generator that turns a list of random numbers into a graph over every node type. Each step's
 * config is built from the schema propagated so far, so almost every graph is valid; a step the engine refuses is
 * dropped. fast-check shrinks the numbers, which shrinks the graph.
 */
export const FUZZ_DATABASE = `ff_fuzz_${process.pid}`;

export function fuzzTables(): TableData[] {
  const k = ['a', 'b', 'a', 'Ünï', "o'k", 'x\\y', '%_', ' ', '', 'ü', 'a', 'B', 'zz', '😀 line\nbreak'];
  const n = [3, -2, 0, null, 3, 7, 0, null, 12, -5, 3, 1, 1, 2];
  const x = [1.5, -0.25, null, 2.5, 0.001, 100.125, null, 0, 3.75, -7.5, 2.5, 0.1, 12.345, 5];
  const d = [
    '10.00',
    '-3.50',
    '0.00',
    '2.25',
    '99.99',
    '10.00',
    '1.05',
    '-0.01',
    '7.50',
    '3.33',
    '10.00',
    '0.50',
    '2.25',
    '4.40',
  ];
  const ts = [
    '2026-01-01 00:00:00.000',
    '2026-01-01 23:59:59.999',
    '2026-01-02 12:30:00.500',
    '1969-12-31 23:59:59.999',
    '2026-01-02 12:30:00.500',
    '2026-03-31 08:15:00.000',
    '2026-01-01 00:00:00.000',
    '2025-12-29 06:00:00.001',
    '2026-01-05 18:45:30.250',
    '2000-02-29 12:00:00.000',
    '2026-01-02 00:00:00.000',
    '2026-01-03 01:02:03.004',
    '2026-01-02 12:30:00.500',
    '1999-12-31 23:00:00.000',
  ];
  const day = [
    '2026-01-01',
    '2026-01-02',
    '1950-06-15',
    '2026-01-02',
    '2000-02-29',
    '2026-01-05',
    '2026-01-01',
    '1999-12-31',
    '2026-03-31',
    '2026-01-02',
    '2026-01-04',
    '2026-02-01',
    '2026-01-02',
    '1970-01-01',
  ];
  // Shares instants with ts (equal join keys across zones) and crosses UTC midnights.
  const tz = ts.map((t, i) => (i % 5 === 4 ? null : i % 3 === 0 ? t : `${day[i]!} 23:59:59.999`));
  const b = [true, false, null, true, true, false, null, false, true, true, false, true, null, false];
  return [
    {
      table: 't',
      columns: [
        { name: 'id', type: 'int64', nullable: false },
        { name: 'k', type: 'string', nullable: false },
        { name: 'n', type: 'int64', nullable: true },
        { name: 'x', type: 'float64', nullable: true },
        { name: 'd', type: 'decimal(10,2)', nullable: false },
        { name: 'ts', type: 'datetime', nullable: false },
        { name: 'day', type: 'date', nullable: false },
        { name: 'b', type: 'boolean', nullable: true },
        // A timestamptz on every engine: zoned and zone-less datetimes and dates meet in comparisons and unions.
        { name: 'tz', type: 'datetime(UTC)', nullable: true },
      ],
      rows: k.map((key, i) => [i + 1, key, n[i]!, x[i]!, d[i]!, ts[i]!, day[i]!, b[i]!, tz[i]!]),
    },
    {
      table: 'u',
      columns: [
        { name: 'k', type: 'string', nullable: false },
        { name: 'w', type: 'int64', nullable: false },
        { name: 'lbl', type: 'string', nullable: true },
      ],
      rows: [
        ['a', 1, 'first'],
        ['a', 2, null],
        ['b', 3, 'bee'],
        ['Ünï', 0, 'ü'],
        ["o'k", 7, "it's"],
        ['nope', 12, 'unmatched'],
        ['', -5, null],
      ],
    },
  ];
}

/** One random step: its kind and four numbers the builder reads its config from. */
export interface StepChoice {
  kind: number;
  a: number;
  b: number;
  c: number;
  d: number;
}

export interface GraphChoice {
  steps: StepChoice[];
  terminal: StepChoice;
  limit: number | null;
}

const nat = fc.nat({ max: 1_000 });
const step = fc.record({ kind: nat, a: nat, b: nat, c: nat, d: nat });
export const graphChoice: fc.Arbitrary<GraphChoice> = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 5 }),
  terminal: step,
  limit: fc.option(fc.integer({ min: 0, max: 6 }), { freq: 5 }),
});

type Node = { id: string; type: string; position: { x: number; y: number }; data: unknown };
type Edge = { id: string; source: string; target: string; targetHandle?: string };
export interface BuiltGraph {
  graph: { nodes: Node[]; edges: Edge[] };
  target: string;
  limit: number | null;
}

const pick = <T>(items: readonly T[], n: number): T => items[n % items.length]!;
export const STEPS = [
  'filter',
  'select',
  'sort',
  'formula',
  'rename',
  'unique',
  'sample',
  'group_by',
  'join',
  'union',
];
export const TERMINALS = [
  'none',
  'table_view',
  'kpi',
  'bar_chart',
  'line_chart',
  'scatter',
  'pivot',
  'candlestick',
];

const VALUES: Record<string, readonly unknown[]> = {
  string: ['a', 'b', 'Ünï', "o'k", '', 'zz', 'x\\y', '😀 line\nbreak'],
  pattern: ['a%', '%', '_', '%\\_%', '%ü%', "o'%", 'x\\\\y', '%\n%'],
  int64: [0, 1, 3, -2, 7],
  float64: [0, 1.5, 2.5, -0.25, 100],
  decimal: [0, 10, 2.25, -3.5],
  datetime: [
    '2026-01-01T12:00:00Z',
    '2026-01-02',
    '1969-12-31T23:59:59.999Z',
    '2026-01-02T07:30:00.500-05:00',
  ],
  date: ['2026-01-02', '1950-06-15', '2000-02-29'],
  boolean: [true, false],
};

function valueFor(type: ColumnType, n: number, pattern = false): unknown {
  if (pattern) return pick(VALUES.pattern!, n);
  const family = type.startsWith('decimal') ? 'decimal' : type.startsWith('datetime') ? 'datetime' : type;
  return pick(VALUES[family]!, n);
}

const ofType = (schema: readonly Column[], accepts: (t: ColumnType) => boolean) =>
  schema.filter((c) => accepts(c.type));

/** Formula templates by the columns they need; `undefined` when the schema has none. */
function formulaFor(schema: readonly Column[], s: StepChoice): string | undefined {
  const numbers = ofType(schema, isNumeric);
  const ints = ofType(schema, (t) => t === 'int64');
  const strings = ofType(schema, (t) => t === 'string');
  const times = ofType(schema, isTemporal);
  const bools = ofType(schema, (t) => t === 'boolean');
  const ref = (cols: readonly Column[], n: number) => `[${pick(cols, n).name.replaceAll(']', ']]')}]`;
  const templates: (string | undefined)[] = [
    "'n/a'",
    '1',
    '2.5',
    ...(numbers.length > 0
      ? [
          `${ref(numbers, s.b)} * 2`,
          `${ref(numbers, s.b)} + ${ref(numbers, s.c)}`,
          `${ref(numbers, s.b)} / ${ref(numbers, s.c)}`,
          `ROUND(${ref(numbers, s.b)}, ${s.c % 3})`,
          `ABS(${ref(numbers, s.b)})`,
          `COALESCE(${ref(numbers, s.b)}, 0)`,
          `SQRT(${ref(numbers, s.b)})`,
          `LN(${ref(numbers, s.b)})`,
          `POWER(${ref(numbers, s.b)}, 2)`,
          `GREATEST(${ref(numbers, s.b)}, 0)`,
          `LEAST(${ref(numbers, s.b)}, ${ref(numbers, s.c)})`,
          `-${ref(numbers, s.b)}`,
          `IF(${ref(numbers, s.b)} > 1, ${ref(numbers, s.c)}, NULL)`,
          `${ref(numbers, s.b)} IS NULL`,
        ]
      : []),
    ...(ints.length > 0 ? [`${ref(ints, s.b)} % 3`, `${ref(ints, s.b)} % ${ref(ints, s.c)}`] : []),
    ...(strings.length > 0
      ? [
          `CONCAT(${ref(strings, s.b)}, '!')`,
          `LOWER(${ref(strings, s.b)})`,
          `UPPER(${ref(strings, s.b)})`,
          `LENGTH(${ref(strings, s.b)})`,
          `SUBSTRING(${ref(strings, s.b)}, 2, 2)`,
          `REPLACE(${ref(strings, s.b)}, 'a', 'x''y')`,
          `REGEXP_MATCH(${ref(strings, s.b)}, '^[a-z]')`,
          `ISNULL(${ref(strings, s.b)})`,
          `COALESCE(${ref(strings, s.b)}, 'none')`,
          `${ref(strings, s.b)} = ${ref(strings, s.c)}`,
        ]
      : []),
    ...(times.length > 0
      ? [
          `HOUR(${ref(times, s.b)})`,
          `YEAR(${ref(times, s.b)})`,
          `DATE_TRUNC('day', ${ref(times, s.b)})`,
          `DATE_TRUNC('${pick(['week', 'month', 'quarter', 'year', 'minute'], s.c)}', ${ref(times, s.b)})`,
          `DATE_DIFF('hour', ${ref(times, s.b)}, '2026-01-02T00:00:00Z')`,
          `${ref(times, s.b)} >= '2026-01-02'`,
        ]
      : []),
    ...(bools.length > 0
      ? [`NOT ${ref(bools, s.b)}`, `IF(${ref(bools, s.b)}, 1, 2)`, `${ref(bools, s.b)} OR ${ref(bools, s.c)}`]
      : []),
  ];
  return pick(templates, s.a);
}

function configFor(type: string, schema: readonly Column[], s: StepChoice, index: number): unknown {
  const column = (n: number) => pick(schema, n);
  switch (type) {
    case 'filter': {
      const conditions = Array.from({ length: 1 + (s.d % 2) }, (_, i) => {
        const c = column(s.a + i * 7);
        const op = pick(filterOpsFor(c.type), s.b + i);
        const pattern = op === 'LIKE' || op === 'NOT_LIKE';
        const value =
          op === 'IS_NULL' || op === 'IS_NOT_NULL'
            ? undefined
            : op === 'IN' || op === 'NOT_IN' || op === 'BETWEEN'
              ? [valueFor(c.type, s.c + i), valueFor(c.type, s.c + i + 1)]
              : valueFor(c.type, s.c + i, pattern);
        return value === undefined ? { column: c.name, op } : { column: c.name, op, value };
      });
      return { logic: s.d % 3 === 0 ? 'OR' : 'AND', conditions };
    }
    case 'select': {
      const count = 1 + (s.a % schema.length);
      const picked = Array.from({ length: count }, (_, i) => column(s.b + i).name);
      return { columns: s.c % 2 === 0 ? picked : picked.reverse() };
    }
    case 'sort':
      return {
        sorts: [...new Set([column(s.a).name, column(s.b).name])]
          .slice(0, 1 + (s.d % 2))
          .map((name, i) => ({ column: name, direction: (s.c >> i) % 2 === 0 ? 'ASC' : 'DESC' })),
      };
    case 'formula': {
      const expression = formulaFor(schema, s)!;
      const name = s.d % 3 === 0 ? column(s.d).name : `f${index}`;
      return { formulas: [{ name, expression }] };
    }
    case 'rename':
      return { renames: { [column(s.a).name]: `r${index}` } };
    case 'unique':
      return s.a % 3 === 0
        ? {}
        : { columns: [...new Set([column(s.b).name, column(s.c).name])].slice(0, 1 + (s.d % 2)) };
    case 'sample':
      return s.c % 5 === 0 ? { percent: 50, seed: s.b % 5 } : { n: pick([0, 1, 3, 100], s.a), seed: s.b % 5 };
    case 'group_by': {
      const keys = [...new Set([column(s.a).name, column(s.b).name])].slice(0, s.d % 3);
      const target = column(s.c);
      const fn = pick(aggregateFunctionsFor(target.type), s.d);
      return {
        group_by: keys,
        aggregations: [
          { function: fn, column: target.name },
          ...(s.b % 2 === 0 ? [{ function: 'count', column: '*' }] : []),
        ],
      };
    }
    default:
      return {};
  }
}

/** The terminal node's config, or undefined when the schema cannot feed it. */
function terminalConfig(type: string, schema: readonly Column[], s: StepChoice): unknown {
  const numbers = ofType(schema, isNumeric);
  const times = ofType(schema, isTemporal);
  const column = (n: number) => pick(schema, n).name;
  switch (type) {
    case 'table_view':
      return { page: s.a % 3, page_size: 1 + (s.b % 5) };
    case 'kpi':
      return numbers.length > 0
        ? {
            value: pick(numbers, s.a).name,
            label: column(s.b),
            ...(s.c % 2 === 0 ? { trend: column(s.c), points: 2 + (s.d % 4) } : {}),
          }
        : undefined;
    case 'bar_chart':
    case 'line_chart':
      return numbers.length > 0
        ? { x: column(s.a), y: [pick(numbers, s.b).name], ...(s.c % 2 === 0 ? { series: column(s.c) } : {}) }
        : undefined;
    case 'scatter':
      return numbers.length > 0 ? { x: pick(numbers, s.a).name, y: pick(numbers, s.b).name } : undefined;
    case 'pivot':
      return numbers.length > 0
        ? {
            rows: [column(s.a)],
            values: [{ column: pick(numbers, s.b).name, function: pick(['sum', 'count', 'max'], s.c) }],
          }
        : undefined;
    case 'candlestick':
      return numbers.length > 0 && times.length > 0
        ? {
            time: pick(times, s.a).name,
            open: pick(numbers, s.b).name,
            high: pick(numbers, s.c).name,
            low: pick(numbers, s.d).name,
            close: pick(numbers, s.a + 1).name,
            ...(s.c % 2 === 0 ? { volume: pick(numbers, s.d + 1).name } : {}),
          }
        : undefined;
    default:
      return undefined;
  }
}

/** Turns random choices into a valid graph; steps the engine would refuse are left out. */
export function buildGraph(choice: GraphChoice, catalog: unknown): BuiltGraph {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const add = (type: string, data: unknown, inputs: [string, string?][]): string => {
    const id = `n${nodes.length}`;
    nodes.push({ id, type, position: { x: nodes.length * 150, y: 0 }, data });
    for (const [source, handle] of inputs)
      edges.push({ id: `e${edges.length}`, source, target: id, ...(handle ? { targetHandle: handle } : {}) });
    return id;
  };
  const schemaOf = (id: string): Column[] | undefined => {
    const { schemas, errors } = propagate({ nodes, edges }, catalog);
    return errors.length === 0 ? schemas[id] : undefined;
  };
  const attempt = (build: () => string): string | undefined => {
    const [nodeCount, edgeCount] = [nodes.length, edges.length];
    const id = build();
    if (schemaOf(id)) return id;
    nodes.length = nodeCount;
    edges.length = edgeCount;
    return undefined;
  };

  let current = add('data_source', { database: FUZZ_DATABASE, table: 't' }, []);
  let schema = schemaOf(current)!;
  choice.steps.forEach((s, index) => {
    const type = pick(STEPS, s.kind);
    const next = attempt(() => {
      if (type === 'join') {
        let right = add('data_source', { database: FUZZ_DATABASE, table: 'u' }, []);
        if (s.d % 2 === 0)
          right = add(
            'formula',
            { formulas: [{ name: 'rf', expression: pick(["'r'", '[w] * 2', "CONCAT([k], '?')"], s.c) }] },
            [[right]],
          );
        const strings = ofType(schema, (t) => t === 'string');
        const ints = ofType(schema, (t) => t === 'int64');
        // A text key on u.k, an integer key on u.w, or both (every pair must match): a third of the joins with both
        // kinds of column on the left take two pairs.
        const keys: { left: string; right: string }[] = [];
        if (strings.length > 0) keys.push({ left: pick(strings, s.a).name, right: 'k' });
        if (ints.length > 0 && (keys.length === 0 || s.d % 3 === 1))
          keys.push({ left: pick(ints, s.a).name, right: 'w' });
        return add(
          'join',
          {
            join_type: pick(['INNER', 'LEFT', 'RIGHT', 'FULL'], s.b),
            keys: keys.length > 0 ? keys : [{ left: '?', right: '?' }],
          },
          [
            [current, 'left'],
            [right, 'right'],
          ],
        );
      }
      if (type === 'union') {
        const branch = add('filter', configFor('filter', schema, s, index), [[current]]);
        return add('union', { mode: s.c % 2 === 0 ? 'ALL' : 'DISTINCT' }, [[current], [branch]]);
      }
      return add(type, configFor(type, schema, s, index), [[current]]);
    });
    if (next === undefined) return;
    current = next;
    schema = schemaOf(current)!;
  });
  const terminal = pick(TERMINALS, choice.terminal.kind);
  const config = terminalConfig(terminal, schema, choice.terminal);
  if (config !== undefined) current = attempt(() => add(terminal, config, [[current]])) ?? current;
  return { graph: { nodes, edges }, target: current, limit: choice.limit };
}
