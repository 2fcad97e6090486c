import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, propagate } from './index.ts';
import type { DialectName } from './dialects/index.ts';
import { mismatches } from './testing/compare.ts';
import type { TableData } from './testing/dataset.ts';
import { datasetCatalog } from './testing/dataset.ts';
import { clickhouseEngine, duckdbEngine, postgresEngine, type Engine } from './testing/engines.ts';
import { caseGraph, filter, formula, groupBy, select, sort, type EngineCase } from './testing/graphs.ts';
import { evaluateGraph } from './testing/oracle.ts';
import type { ColumnType } from './types.ts';

/**
 * Zoned datetimes (`datetime(zone)`) on every engine: ClickHouse keeps an IANA zone per column
 * (`DateTime64(3, 'America/New_York')`), PostgreSQL `timestamptz` and DuckDB `TIMESTAMPTZ` are `datetime(UTC)`. The
 * zone survives propagation, literals compare instants, date parts are UTC, and each engine's rows and column types
 * equal the oracle's. PostgreSQL and DuckDB answer the same again under a New York session: no compiled query
 * depends on the session's zone.
 */
const DATABASE = `ff_tz_test_${process.pid}`;
const DIALECTS = ['duckdb', 'clickhouse', 'postgres'] as const;

/** Instants around UTC and New York midnights, a DST change, before 1970, and a NULL. */
const AT = [
  '2026-01-05 03:30:00.000',
  '2026-01-05 04:59:59.999',
  '2026-01-05 05:00:00.000',
  '2026-01-05 23:59:59.999',
  '2026-01-06 00:00:00.000',
  '2026-01-06 02:00:00.000',
  '2026-03-08 06:59:59.000',
  '2026-03-08 07:00:00.000',
  '1969-12-31 23:59:59.999',
  '2026-01-06 04:59:59.999',
];

/** `local` has New York's zone where the engine keeps zones per column (ClickHouse), else it is a timestamptz. */
function tables(dialect: DialectName): TableData[] {
  const local: ColumnType = dialect === 'clickhouse' ? 'datetime(America/New_York)' : 'datetime(UTC)';
  return [
    {
      table: 'events',
      columns: [
        { name: 'id', type: 'int64', nullable: false },
        { name: 'utc', type: 'datetime(UTC)', nullable: false },
        { name: 'local', type: local, nullable: true },
        { name: 'naive', type: 'datetime', nullable: false },
        { name: 'day', type: 'date', nullable: false },
      ],
      rows: AT.map((at, i) => [i, at, i === 3 ? null : AT[(i + 4) % AT.length]!, at, at.slice(0, 10)]),
    },
  ];
}

const source = { type: 'data_source', data: { database: DATABASE, table: 'events' } };
const byId = sort(['id', 'ASC']);

const CASES: EngineCase[] = [
  { name: 'zoned columns come back with their zone and UTC values', nodes: [source, byId], ordered: true },
  {
    name: 'a filter with an offset compares instants on a zoned column',
    nodes: [source, filter([{ column: 'local', op: '<=', value: '2026-01-05T21:00:00-05:00' }]), byId],
    ordered: true,
    minRows: 3,
  },
  {
    name: 'date-only bounds on zoned columns are UTC days, half-open',
    nodes: [
      source,
      filter([
        { column: 'utc', op: 'BETWEEN', value: ['2026-01-05', '2026-01-05'] },
        { column: 'local', op: '>', value: '2026-01-04' },
      ]),
      byId,
    ],
    ordered: true,
    minRows: 2,
  },
  {
    name: 'formula literals and mixed branches meet zoned columns as instants',
    nodes: [
      source,
      formula({
        late: "[local] >= '2026-01-06T02:00:00Z'",
        same: '[utc] = [naive]',
        pick: 'COALESCE([local], [naive])',
        either: 'IF([id] > 4, [local], [day])',
      }),
      byId,
    ],
    ordered: true,
  },
  {
    name: 'date parts and truncations of zoned columns are UTC',
    nodes: [
      source,
      formula({
        h: 'HOUR([local])',
        d: 'DAY([utc])',
        trunc: "DATE_TRUNC('day', [local])",
        hours: "DATE_DIFF('hour', [local], [utc])",
        from_date: "DATE_DIFF('minute', [day], [local])",
      }),
      select('id', 'h', 'd', 'trunc', 'hours', 'from_date'),
      byId,
    ],
    ordered: true,
  },
  {
    name: 'group by a zoned column and its UTC day',
    nodes: [
      source,
      formula({ day_utc: "DATE_TRUNC('day', [utc])" }),
      groupBy(
        ['day_utc'],
        [
          { function: 'min', column: 'local' },
          { function: 'max', column: 'utc' },
        ],
      ),
      sort(['day_utc', 'ASC']),
    ],
    ordered: true,
  },
  {
    name: 'a join of a zoned key with a zone-less key matches instants',
    nodes: [
      source,
      { id: 'j', type: 'join', data: { join_type: 'INNER', keys: [{ left: 'local', right: 'naive' }] } },
      select('id', 'local', 'id_right', 'naive_right'),
      byId,
    ],
    edges: [
      ['n0', 'j', 'left'],
      ['n0', 'j', 'right'],
      ['j', 'n2'],
      ['n2', 'n3'],
    ],
    ordered: true,
    minRows: 9,
  },
  {
    name: 'union of zoned, zone-less and date columns widens with explicit casts',
    nodes: [
      source,
      { id: 'a', ...select('id', 'local') },
      { id: 'b', ...formula({ local: '[naive]' }) },
      { id: 'b2', ...select('id', 'local') },
      { id: 'c', ...formula({ local: '[day]' }) },
      { id: 'c2', ...select('id', 'local') },
      { id: 'u', type: 'union', data: { all: true } },
    ],
    edges: [
      ['n0', 'a'],
      ['n0', 'b'],
      ['b', 'b2'],
      ['n0', 'c'],
      ['c', 'c2'],
      ['a', 'u'],
      ['b2', 'u'],
      ['c2', 'u'],
    ],
    target: 'u',
  },
];

const engines = new Map<DialectName, Engine>();

beforeAll(async () => {
  for (const engine of await Promise.all([duckdbEngine(), clickhouseEngine(), postgresEngine()])) {
    await engine.load(DATABASE, tables(engine.dialect));
    engines.set(engine.dialect, engine);
  }
});

afterAll(async () => {
  await Promise.all(
    [...engines.values()].map(async (e) => {
      await e.drop(DATABASE);
      await e.close();
    }),
  );
});

const catalogFor = (dialect: DialectName) => datasetCatalog(tables(dialect), 'duckdb', DATABASE);

describe('datetime(zone) through propagation', () => {
  it.each(DIALECTS)('%s: the source and a union keep the zones', (dialect) => {
    const { graph } = caseGraph(CASES.at(-1)!);
    const { schemas, errors } = propagate(graph, catalogFor(dialect));
    expect(errors).toEqual([]);
    const local = dialect === 'clickhouse' ? 'datetime(America/New_York)' : 'datetime(UTC)';
    expect(schemas.n0!.map((c) => c.type)).toEqual(['int64', 'datetime(UTC)', local, 'datetime', 'date']);
    // Zoned + zone-less + date meet in the zoned column's zone.
    expect(schemas.u!.find((c) => c.name === 'local')!.type).toBe(local);
  });

  it('prints zone-aware literals', () => {
    const { graph, target } = caseGraph(CASES[1]!);
    const sql = (dialect: DialectName) => {
      const result = compile(graph, target, { catalog: catalogFor(dialect), dialect });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.sql;
    };
    expect(sql('postgres')).toContain(`"local" <= TIMESTAMPTZ '2026-01-06 02:00:00.000+00'`);
    expect(sql('duckdb')).toContain(`"local" <= TIMESTAMPTZ '2026-01-06 02:00:00.000+00'`);
    expect(sql('clickhouse')).toContain(
      "`local` <= toTimeZone(toDateTime64('2026-01-06 02:00:00.000', 3, 'UTC'), 'America/New_York')",
    );
  });
});

describe('zoned datetimes on every engine equal the oracle in rows and types', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { graph, target } = caseGraph(c);
    for (const dialect of DIALECTS) {
      const catalog = catalogFor(dialect);
      const oracle = evaluateGraph(graph, target, catalog, tables(dialect));
      if (c.minRows !== undefined) expect(oracle.rows.length).toBeGreaterThanOrEqual(c.minRows);
      const compiled = compile(graph, target, { catalog, dialect });
      if (!compiled.ok) throw new Error(`${dialect}: ${JSON.stringify(compiled.errors)}`);
      const engine = engines.get(dialect)!;
      const result = await engine.query(compiled.sql);
      expect({ dialect, sql: compiled.sql, problems: mismatches(result, oracle) }).toMatchObject({
        problems: [],
      });
      if (dialect === 'clickhouse') continue;
      // The same SQL under another session zone gives the same answer: nothing depends on the session.
      const setZone = (zone: string) =>
        engine.run(dialect === 'postgres' ? `SET TIME ZONE '${zone}'` : `SET TimeZone = '${zone}'`);
      await setZone('America/New_York');
      const elsewhere = await engine.query(compiled.sql).finally(() => setZone('UTC'));
      expect({ dialect, zone: 'America/New_York', problems: mismatches(elsewhere, oracle) }).toMatchObject({
        problems: [],
      });
    }
  });
});
