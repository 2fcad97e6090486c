import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECT_BY_NAME, type DialectName } from './dialects/index.ts';
import { compile, compileFormula, validate } from './index.ts';
import { clickhouseEngine, duckdbEngine, postgresEngine, type Engine } from './testing/engines.ts';
import type { ClickHouseClient } from '@clickhouse/client';
import type { DuckDBConnection } from '@duckdb/node-api';
import type pg from 'pg';

/**
 * Property tests: user text (values, names, formulas) must never change the shape of the SQL. Values are executed
 * and must come back as exactly one literal equal to the input; identifiers in the catalog must be quoted so they
 * round-trip; identifiers not in the catalog must be rejected. Counts are summed into RUNS and checked at the end.
 */
const RUNS = {
  duckdbValues: 3000,
  duckdbFormulaLiterals: 1000,
  duckdbIdentifiers: 800,
  duckdbOutputNames: 500,
  clickhouseValues: 300,
  clickhouseIdentifiers: 100,
  postgresValues: 300,
  unknownIdentifiers: 2000,
  formulaJunk: 3000,
};
const executed: Record<string, number> = {};
/** Per process: concurrent test runs share the stack's servers. */
const INJECTION_DB = `ff_injection_${process.pid}`;

const NASTY = [
  "' OR 1=1 --",
  "'; DROP TABLE trades; --",
  '\\',
  "\\'",
  "''",
  '`',
  '``',
  '"',
  '""',
  '\n',
  '\r\n',
  '\t',
  '$$',
  '$1',
  '%',
  '_',
  '/*',
  '*/',
  '--',
  '?',
  ':name',
  '{x}',
  'é',
  '雀',
  '😀',
  'ß',
  '\u202e',
  '\u00a0',
  ' ',
  'a',
  'Z',
  '0',
  ';',
  '.',
];
/** Strings built from SQL-significant pieces plus arbitrary Unicode; NUL is rejected by design (tested below). */
const hostileText = fc.oneof(
  fc.array(fc.constantFrom(...NASTY), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom("'", '"', '\\', '`', '\n', '-', '/', '*', ';', 'x'),
    minLength: 1,
    maxLength: 20,
  }),
);
const hostileName = hostileText.filter((s) => s.trim() !== '' && !s.includes('\u0000'));

let duck: Engine & { connection: DuckDBConnection };

beforeAll(async () => {
  duck = await duckdbEngine();
  await duck.connection.run('CREATE SCHEMA ff; CREATE TABLE ff.strings (id BIGINT, v VARCHAR)');
});

afterAll(async () => {
  await duck.close();
});

const stringsCatalog = (store: string, database = 'ff') => [
  {
    database,
    table: 'strings',
    store,
    columns: [
      { name: 'id', type: 'int64' },
      { name: 'v', type: 'string' },
    ],
  },
];

/** source → filter(id = run AND v = value) compiled for a dialect. */
function filterByValue(dialect: DialectName, id: number, value: string, database = 'ff'): string {
  const graph = {
    nodes: [
      { id: 's', type: 'data_source', data: { database, table: 'strings' } },
      {
        id: 'f',
        type: 'filter',
        data: {
          logic: 'AND',
          conditions: [
            { column: 'id', op: '=', value: id },
            { column: 'v', op: '=', value },
          ],
        },
      },
      {
        id: 'i',
        type: 'filter',
        data: { logic: 'AND', conditions: [{ column: 'v', op: 'IN', value: [value, `${value}'`] }] },
      },
    ],
    edges: [
      { id: 'e1', source: 's', target: 'f' },
      { id: 'e2', source: 'f', target: 'i' },
    ],
  };
  const result = compile(graph, 'i', { catalog: stringsCatalog(dialect, database), dialect });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.sql;
}

describe('hostile string values stay one literal', () => {
  it(`round-trip through DuckDB (${RUNS.duckdbValues} runs)`, async () => {
    let id = 0;
    await fc.assert(
      fc.asyncProperty(hostileText, async (value) => {
        id++;
        await duck.connection.run('INSERT INTO ff.strings VALUES ($1, $2)', [id, value]);
        const rows = await duck.run(filterByValue('duckdb', id, value));
        expect(textRows(rows)).toEqual([[String(id), value]]);
      }),
      { numRuns: RUNS.duckdbValues },
    );
    executed.duckdbValues = id;
  }, 180_000);

  it(`as formula string literals, executed on DuckDB (${RUNS.duckdbFormulaLiterals} runs)`, async () => {
    await duck.connection.run("INSERT INTO ff.strings VALUES (0, 'p')");
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(hostileText, async (value) => {
        runs++;
        const expression = `CONCAT([v], '${value.replaceAll("'", "''")}')`;
        const graph = {
          nodes: [
            { id: 's', type: 'data_source', data: { database: 'ff', table: 'strings' } },
            {
              id: 'f',
              type: 'filter',
              data: { logic: 'AND', conditions: [{ column: 'id', op: '=', value: 0 }] },
            },
            { id: 'x', type: 'formula', data: { formulas: [{ name: 'out', expression }] } },
            { id: 'p', type: 'select', data: { columns: ['out'] } },
          ],
          edges: [
            { id: '1', source: 's', target: 'f' },
            { id: '2', source: 'f', target: 'x' },
            { id: '3', source: 'x', target: 'p' },
          ],
        };
        const result = compile(graph, 'p', { catalog: stringsCatalog('duckdb'), dialect: 'duckdb' });
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        expect(await duck.run(result.sql)).toEqual([[`p${value}`]]);
      }),
      { numRuns: RUNS.duckdbFormulaLiterals },
    );
    executed.duckdbFormulaLiterals = runs;
  });

  it('rejects NUL and lone surrogates as invalid values', () => {
    for (const value of ['a\u0000b', 'x\ud800', '\udc00']) {
      const errors = validate(
        {
          nodes: [
            { id: 's', type: 'data_source', data: { database: 'ff', table: 'strings' } },
            {
              id: 'f',
              type: 'filter',
              data: { logic: 'AND', conditions: [{ column: 'v', op: '=', value }] },
            },
          ],
          edges: [{ id: 'e', source: 's', target: 'f' }],
        },
        stringsCatalog('duckdb'),
      );
      expect(errors).toEqual([
        expect.objectContaining({ nodeId: 'f', code: 'INVALID_VALUE', field: 'conditions[0].value' }),
      ]);
    }
  });
});

describe('on the stack', () => {
  let click: Engine & { client: ClickHouseClient };
  let post: Engine & { client: pg.Client };

  beforeAll(async () => {
    click = await clickhouseEngine();
    post = await postgresEngine();
    for (const query of [
      `DROP DATABASE IF EXISTS ${INJECTION_DB}`,
      `CREATE DATABASE ${INJECTION_DB}`,
      `CREATE TABLE ${INJECTION_DB}.strings (id Int64, v String) ENGINE = MergeTree ORDER BY id`,
    ])
      await click.client.command({ query });
    await post.client.query(
      `DROP SCHEMA IF EXISTS ${INJECTION_DB} CASCADE; CREATE SCHEMA ${INJECTION_DB}; CREATE TABLE ${INJECTION_DB}.strings (id BIGINT, v TEXT)`,
    );
  });

  afterAll(async () => {
    await click?.client.command({ query: `DROP DATABASE IF EXISTS ${INJECTION_DB}` });
    await post?.client.query(`DROP SCHEMA IF EXISTS ${INJECTION_DB} CASCADE`);
    await click?.close();
    await post?.close();
  });

  it(`hostile values round-trip through ClickHouse (${RUNS.clickhouseValues} runs)`, async () => {
    const { client } = click;
    let id = 0;
    await fc.assert(
      fc.asyncProperty(hostileText, async (value) => {
        id++;
        await client.insert({
          table: `${INJECTION_DB}.strings`,
          values: [{ id, v: value }],
          format: 'JSONEachRow',
        });
        expect(textRows(await click.run(filterByValue('clickhouse', id, value, INJECTION_DB)))).toEqual([
          [String(id), value],
        ]);
      }),
      { numRuns: RUNS.clickhouseValues },
    );
    executed.clickhouseValues = id;
  }, 180_000);

  it(`hostile values round-trip through PostgreSQL (${RUNS.postgresValues} runs)`, async () => {
    let id = 0;
    await fc.assert(
      fc.asyncProperty(hostileText, async (value) => {
        id++;
        await post.client.query(`INSERT INTO ${INJECTION_DB}.strings VALUES ($1, $2)`, [id, value]);
        expect(textRows(await post.run(filterByValue('postgres', id, value, INJECTION_DB)))).toEqual([
          [String(id), value],
        ]);
      }),
      { numRuns: RUNS.postgresValues },
    );
    executed.postgresValues = id;
  });

  it(`hostile column names in the catalog are quoted on ClickHouse (${RUNS.clickhouseIdentifiers} runs)`, async () => {
    const q = DIALECT_BY_NAME.clickhouse.quoteIdentifier;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(hostileName, async (name) => {
        runs++;
        for (const query of [
          `DROP TABLE IF EXISTS ${INJECTION_DB}.hostile`,
          `CREATE TABLE ${INJECTION_DB}.hostile (${q(name)} Int64) ENGINE = Memory`,
          `INSERT INTO ${INJECTION_DB}.hostile VALUES (42)`,
        ])
          await click.client.command({ query });
        const described = await click.run(
          `SELECT name FROM system.columns WHERE database = '${INJECTION_DB}' AND table = 'hostile'`,
        );
        expect(described).toEqual([[name]]);
        expect(
          textRows(await click.run(compileHostile('clickhouse', INJECTION_DB, 'hostile', name))),
        ).toEqual([['42']]);
      }),
      { numRuns: RUNS.clickhouseIdentifiers },
    );
    executed.clickhouseIdentifiers = runs;
  }, 180_000);
});

/** Engines differ in whether 64-bit integers come back as JSON numbers or strings. */
const textRows = (rows: unknown[][]): string[][] => rows.map((row) => row.map(String));

/** source(table) → filter(column > 0) → select(column), compiled with that column in the catalog. */
function compileHostile(dialect: DialectName, database: string, table: string, column: string): string {
  const graph = {
    nodes: [
      { id: 's', type: 'data_source', data: { database, table } },
      { id: 'f', type: 'filter', data: { logic: 'AND', conditions: [{ column, op: '>', value: 0 }] } },
      { id: 'p', type: 'select', data: { columns: [column] } },
    ],
    edges: [
      { id: '1', source: 's', target: 'f' },
      { id: '2', source: 'f', target: 'p' },
    ],
  };
  const result = compile(graph, 'p', {
    catalog: [{ database, table, store: dialect, columns: [{ name: column, type: 'int64' }] }],
    dialect,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.sql;
}

describe('hostile identifiers', () => {
  it(`in the catalog are quoted so they round-trip on DuckDB (${RUNS.duckdbIdentifiers} runs)`, async () => {
    const q = DIALECT_BY_NAME.duckdb.quoteIdentifier;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(hostileName, hostileName, async (table, column) => {
        runs++;
        await duck.connection.run(`CREATE TABLE ff.${q(table)} (${q(column)} BIGINT)`);
        try {
          await duck.connection.run(`INSERT INTO ff.${q(table)} VALUES (42)`);
          const described = await duck.connection.runAndReadAll(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'ff' AND table_name NOT IN ('strings')",
          );
          expect(described.getRows()).toEqual([[table, column]]);
          expect(textRows(await duck.run(compileHostile('duckdb', 'ff', table, column)))).toEqual([['42']]);
        } finally {
          await duck.connection.run(`DROP TABLE ff.${q(table)}`);
        }
      }),
      { numRuns: RUNS.duckdbIdentifiers },
    );
    executed.duckdbIdentifiers = runs;
  });

  it(`chosen by the user (rename targets, formula names) come back as result column names on DuckDB (${RUNS.duckdbOutputNames} runs)`, async () => {
    await duck.connection.run('CREATE TABLE ff.one (x BIGINT); INSERT INTO ff.one VALUES (42)');
    const catalog = [
      { database: 'ff', table: 'one', store: 'duckdb', columns: [{ name: 'x', type: 'int64' }] },
    ];
    const distinct = (names: string[]) => new Set(names.map((n) => n.toLowerCase())).size === names.length;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(hostileName, hostileName).filter((names) => distinct(['x', ...names])),
        async ([renamed, derived]) => {
          runs++;
          const graph = {
            nodes: [
              { id: 's', type: 'data_source', data: { database: 'ff', table: 'one' } },
              { id: 'r', type: 'rename', data: { renames: { x: renamed } } },
              {
                id: 'f',
                type: 'formula',
                data: { formulas: [{ name: derived, expression: `[${renamed.replaceAll(']', ']]')}] + 1` }] },
              },
              {
                id: 'w',
                type: 'filter',
                data: { logic: 'AND', conditions: [{ column: derived, op: '>', value: 0 }] },
              },
            ],
            edges: [
              { id: '1', source: 's', target: 'r' },
              { id: '2', source: 'r', target: 'f' },
              { id: '3', source: 'f', target: 'w' },
            ],
          };
          const result = compile(graph, 'w', { catalog, dialect: 'duckdb' });
          if (!result.ok) throw new Error(JSON.stringify(result.errors));
          const reader = await duck.connection.runAndReadAll(result.sql);
          expect(reader.columnNames()).toEqual([renamed, derived]);
          expect(textRows(reader.getRowsJson() as unknown[][])).toEqual([['42', '43']]);
        },
      ),
      { numRuns: RUNS.duckdbOutputNames },
    );
    executed.duckdbOutputNames = runs;
  });

  it(`not in the catalog are rejected, never quoted through (${RUNS.unknownIdentifiers} runs)`, () => {
    const catalog = [
      { database: 'ff', table: 'strings', store: 'duckdb', columns: [{ name: 'v', type: 'string' }] },
    ];
    let runs = 0;
    fc.assert(
      fc.property(
        hostileName.filter((n) => n !== 'v' && n !== 'strings' && n !== 'ff'),
        fc.constantFrom('filter', 'select', 'sort', 'group_by', 'formula', 'table', 'database'),
        (name, where) => {
          runs++;
          const node = {
            filter: {
              type: 'filter',
              data: { logic: 'AND', conditions: [{ column: name, op: '=', value: 'x' }] },
            },
            select: { type: 'select', data: { columns: [name] } },
            sort: { type: 'sort', data: { sorts: [{ column: name, direction: 'ASC' }] } },
            group_by: { type: 'group_by', data: { group_by: [name], aggregations: [] } },
            formula: {
              type: 'formula',
              data: { formulas: [{ name: 'out', expression: `[${name.replaceAll(']', ']]')}]` }] },
            },
            table: { type: 'select', data: { columns: ['v'] } },
            database: { type: 'select', data: { columns: ['v'] } },
          }[where];
          const source = {
            database: where === 'database' ? name : 'ff',
            table: where === 'table' ? name : 'strings',
          };
          const graph = {
            nodes: [
              { id: 's', type: 'data_source', data: source },
              { id: 'n', ...node },
            ],
            edges: [{ id: 'e', source: 's', target: 'n' }],
          };
          const errors = validate(graph, catalog);
          const code = where === 'table' || where === 'database' ? 'UNKNOWN_TABLE' : 'UNKNOWN_COLUMN';
          expect(errors).toEqual([
            expect.objectContaining({ code, nodeId: code === 'UNKNOWN_TABLE' ? 's' : 'n' }),
          ]);
          expect(compile(graph, 'n', { catalog, dialect: 'clickhouse' }).ok).toBe(false);
        },
      ),
      { numRuns: RUNS.unknownIdentifiers },
    );
    executed.unknownIdentifiers = runs;
  });
});

describe('formula strings', () => {
  const columns = [
    { name: 'price', type: 'float64' as const, nullable: false },
    { name: 'qty', type: 'int64' as const, nullable: false },
    { name: 'v', type: 'string' as const, nullable: true },
  ];
  const TOKENS = [
    '[price]',
    '[qty]',
    '[v]',
    '[nope]',
    '[',
    ']',
    "'",
    "'x'",
    "'it''s'",
    '(',
    ')',
    ',',
    '+',
    '-',
    '*',
    '/',
    '%',
    '=',
    '<',
    '>',
    '!',
    '<>',
    ' ',
    '1',
    '2.5',
    '1e3',
    'AND',
    'OR',
    'NOT',
    'NULL',
    'TRUE',
    'IF(',
    'ROUND(',
    'CONCAT(',
    'LOWER(',
    'ABS(',
    'COALESCE(',
    '\\',
    '`',
    '"',
    ';',
    '--',
    '/*',
    '\n',
    'é',
  ];
  const formulaText = fc.oneof(
    fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 }).map((t) => t.join('')),
    fc.string({ maxLength: 40 }),
  );

  it(`never throw, report positions inside the text, and valid ones execute on DuckDB (${RUNS.formulaJunk} runs)`, async () => {
    await duck.connection.run(
      "CREATE TABLE ff.numbers (price DOUBLE, qty BIGINT, v VARCHAR); INSERT INTO ff.numbers VALUES (2.5, 3, 'a'), (-1, 0, NULL)",
    );
    const catalog = [{ database: 'ff', table: 'numbers', store: 'duckdb', columns }];
    let runs = 0;
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(formulaText, async (expression) => {
        runs++;
        const result = compileFormula(expression, columns);
        if (!result.ok) {
          expect([
            'FORMULA_SYNTAX',
            'UNKNOWN_COLUMN',
            'UNKNOWN_FUNCTION',
            'TYPE_MISMATCH',
            'INVALID_VALUE',
          ]).toContain(result.code);
          expect(result.position).toBeGreaterThanOrEqual(0);
          expect(result.position).toBeLessThanOrEqual(expression.length);
          return;
        }
        valid++;
        const graph = {
          nodes: [
            { id: 's', type: 'data_source', data: { database: 'ff', table: 'numbers' } },
            { id: 'x', type: 'formula', data: { formulas: [{ name: 'out', expression }] } },
          ],
          edges: [{ id: '1', source: 's', target: 'x' }],
        };
        const compiled = compile(graph, 'x', { catalog, dialect: 'duckdb' });
        if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
        const rows = await duck.run(compiled.sql);
        expect(rows).toHaveLength(2);
      }),
      { numRuns: RUNS.formulaJunk },
    );
    executed.formulaJunk = runs;
    expect(valid).toBeGreaterThan(0);
  });
});

describe('run counts', () => {
  it('add up to at least 10 000 property runs', () => {
    const total = Object.values(executed).reduce((a, b) => a + b, 0);
    console.info(`injection property runs: ${JSON.stringify(executed)} total=${total}`);
    expect(executed).toEqual(RUNS);
    expect(total).toBeGreaterThanOrEqual(10_000);
  });
});
