import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import pg from 'pg';
import { TYPE_NAMES as POSTGRES_TYPE_NAMES } from '../../adapters/postgres/analytics.ts';
import { DIALECT_BY_NAME, type DialectName } from '../dialects/index.ts';
import { jsonValue, wallClockParts } from '../json-value.ts';
import { normalizeType, timeZoneOf } from '../types.ts';
import type { TableData } from './dataset.ts';

/** A result as the API delivers it: the engine's column types and every cell in its type's JSON form. */
export interface EngineResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

const inJsonForm = (columns: EngineResult['columns'], rows: unknown[][]): EngineResult => {
  const types = columns.map((c) => normalizeType(c.type).type);
  return { columns, rows: rows.map((row) => row.map((v, i) => jsonValue(v, types[i]!))) };
};

/** A real database the tests load the data set into and run compiled SQL on. */
export interface Engine {
  dialect: DialectName;
  run(sql: string): Promise<unknown[][]>;
  query(sql: string): Promise<EngineResult>;
  load(database: string, tables: readonly TableData[]): Promise<void>;
  /** Removes a database (schema) created by `load`. */
  drop(database: string): Promise<void>;
  close(): Promise<void>;
}

export const CLICKHOUSE_URL = 'http://127.0.0.1:8123';
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/flowforge';

const BATCH = 500;

function createTableSql(dialect: DialectName, database: string, table: TableData): string {
  const d = DIALECT_BY_NAME[dialect];
  const columns = table.columns.map((c) => {
    const type = d.typeName(c.type);
    if (dialect === 'clickhouse')
      return `${d.quoteIdentifier(c.name)} ${c.nullable ? `Nullable(${type})` : type}`;
    return `${d.quoteIdentifier(c.name)} ${type}${c.nullable ? '' : ' NOT NULL'}`;
  });
  const engine = dialect === 'clickhouse' ? ' ENGINE = MergeTree ORDER BY tuple()' : '';
  return `CREATE TABLE ${d.quoteIdentifier(database)}.${d.quoteIdentifier(table.table)} (${columns.join(', ')})${engine}`;
}

export async function duckdbEngine(path = ':memory:'): Promise<Engine & { connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  // As every adapter does: datetimes are UTC instants whatever the machine's zone.
  await connection.run("SET TimeZone = 'UTC'");
  return {
    dialect: 'duckdb',
    connection,
    async run(sql) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowsJson() as unknown[][];
    },
    async query(sql) {
      const reader = await connection.runAndReadAll(sql);
      const types = reader.columnTypes();
      const columns = reader.columnNames().map((name, i) => ({ name, type: types[i]!.toString() }));
      return inJsonForm(columns, reader.getRowsJson() as unknown[][]);
    },
    async load(database, tables) {
      const q = DIALECT_BY_NAME.duckdb.quoteIdentifier;
      await connection.run(`DROP SCHEMA IF EXISTS ${q(database)} CASCADE`);
      await connection.run(`CREATE SCHEMA ${q(database)}`);
      for (const table of tables) {
        await connection.run(createTableSql('duckdb', database, table));
        for (let i = 0; i < table.rows.length; i += BATCH) {
          const batch = table.rows.slice(i, i + BATCH);
          const width = table.columns.length;
          const tuples = batch.map(
            (_, r) => `(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`,
          );
          await connection.run(
            `INSERT INTO ${q(database)}.${q(table.table)} VALUES ${tuples.join(', ')}`,
            batch.flat(),
          );
        }
      }
    },
    async drop(database) {
      await connection.run(
        `DROP SCHEMA IF EXISTS ${DIALECT_BY_NAME.duckdb.quoteIdentifier(database)} CASCADE`,
      );
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The column types of a `Tuple(T1, T2, …)` type name (top-level commas only). */
function tupleTypes(typeName: string): string[] {
  const inner = typeName.slice('Tuple('.length, -1);
  const types: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '(') depth++;
    else if (inner[i] === ')') depth--;
    else if (inner[i] === ',' && depth === 0) {
      types.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  return [...types, inner.slice(start).trim()];
}

export type BatchResult = EngineResult | { error: string };

/** As the ClickHouse adapter does, in the query's own SETTINGS (never URL settings on the stack's chdb). */
const SESSION_UTC = "session_timezone = 'UTC'";
const withSessionUtc = (sql: string): string =>
  /\nSETTINGS [^\n]+$/.test(sql) ? `${sql}, ${SESSION_UTC}` : `${sql}\nSETTINGS ${SESSION_UTC}`;

/** `YYYY-MM-DD HH:MM:SS.mmm` UTC → the same instant's wall clock in `zone`. */
function wallClock(utc: string, zone: string): string {
  const instant = new Date(`${utc.replace(' ', 'T')}Z`);
  const parts = wallClockParts(instant, zone);
  const ms = String(instant.getUTCMilliseconds()).padStart(3, '0');
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${ms}`;
}

export async function clickhouseEngine(
  url = CLICKHOUSE_URL,
): Promise<
  Engine & { client: ClickHouseClient; queryBatch(sqls: readonly string[]): Promise<BatchResult[]> }
> {
  // Failing queries are the tests' business (they report them); the client's own error log would only repeat them.
  const client = createClient({ url, request_timeout: 60_000, log: { level: ClickHouseLogLevel.OFF } });
  const ping = await client.ping();
  if (!ping.success)
    throw new Error(
      `ClickHouse is unreachable at ${url} (start the stack: bash scripts/stack up): ${String(ping.error)}`,
    );
  const query = async (sql: string): Promise<EngineResult> => {
    const result = await client.query({
      query: withSessionUtc(sql),
      format: 'JSONCompactEachRowWithNamesAndTypes',
    });
    const [names = [], types = [], ...rows] = (await result.json()) as unknown[][];
    return inJsonForm(
      names.map((name, i) => ({ name: String(name), type: String(types[i]) })),
      rows,
    );
  };
  return {
    dialect: 'clickhouse',
    client,
    async run(sql) {
      const result = await client.query({ query: sql, format: 'JSONCompactEachRow' });
      return (await result.json()) as unknown[][];
    },
    query,
    /**
     * Many queries in one request (the stack's ClickHouse spends ~30 ms per request): each result is folded into one
     * row of JSON-encoded tuples plus the tuple's type name (known even without rows). When a batch fails, its queries
     * are asked again one by one to learn which one failed.
     */
    async queryBatch(sqls) {
      const settings = new Set([
        SESSION_UTC,
        'enable_named_columns_in_function_tuple = 0',
        'max_threads = 1',
        'use_query_condition_cache = 0',
      ]);
      const parts = sqls.map((sql, i) => {
        const own = /\nSETTINGS ([^\n]+)$/.exec(sql);
        for (const setting of own?.[1]?.split(', ') ?? []) settings.add(setting);
        const body = own ? sql.slice(0, own.index) : sql;
        return `SELECT ${i} AS g, groupArray(toJSONString(tuple(*))) AS rows, toTypeName(any(tuple(*))) AS types FROM (\n${body}\n)`;
      });
      const one = (sql: string): Promise<BatchResult> =>
        query(sql).catch((error: unknown) => ({ error: String(error) }));
      let folded: [number, string[], string][];
      try {
        const result = await client.query({
          query: `${parts.join('\nUNION ALL\n')}\nSETTINGS ${[...settings].join(', ')}`,
          format: 'JSONCompactEachRow',
        });
        folded = (await result.json()) as [number, string[], string][];
      } catch {
        return Promise.all(sqls.map(one));
      }
      const byQuery = new Map(folded.map(([g, rows, types]) => [Number(g), { rows, types }]));
      return Promise.all(
        sqls.map(async (sql, i): Promise<BatchResult> => {
          const found = byQuery.get(i)!;
          const columns = tupleTypes(found.types).map((type, c) => ({ name: `c${c}`, type }));
          return inJsonForm(
            columns,
            found.rows.map((row) => JSON.parse(row) as unknown[]),
          );
        }),
      );
    },
    async load(database, tables) {
      const q = DIALECT_BY_NAME.clickhouse.quoteIdentifier;
      await client.command({ query: `DROP DATABASE IF EXISTS ${q(database)}` });
      await client.command({ query: `CREATE DATABASE ${q(database)}` });
      for (const table of tables) {
        await client.command({ query: createTableSql('clickhouse', database, table) });
        // ClickHouse reads a datetime text in the column's zone: a zoned column gets the instant's wall clock there.
        const values = table.rows.map((row) =>
          Object.fromEntries(
            table.columns.map((c, i) => {
              const zone = timeZoneOf(c.type);
              const value = row[i];
              return [c.name, zone && typeof value === 'string' ? wallClock(value, zone) : value];
            }),
          ),
        );
        await client.insert({ table: `${q(database)}.${q(table.table)}`, values, format: 'JSONEachRow' });
      }
    },
    async drop(database) {
      await client.command({
        query: `DROP DATABASE IF EXISTS ${DIALECT_BY_NAME.clickhouse.quoteIdentifier(database)}`,
      });
    },
    close: () => client.close(),
  };
}

/** Timestamps and dates come back as the server's text, not as JS Dates shifted by the local time zone. */
const TEXT_TYPES = [1082, 1114, 1184];

export async function postgresEngine(url = POSTGRES_URL): Promise<Engine & { client: pg.Client }> {
  const client = new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: (oid, format) =>
        TEXT_TYPES.includes(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format),
    },
  });
  await client.connect().catch((error: unknown) => {
    throw new Error(
      `PostgreSQL is unreachable at ${url} (start the stack: bash scripts/stack up): ${String(error)}`,
    );
  });
  await client.query("SET TIME ZONE 'UTC'");
  return {
    dialect: 'postgres',
    client,
    async run(sql) {
      const result = await client.query({ text: sql, rowMode: 'array' });
      return result.rows as unknown[][];
    },
    async query(sql) {
      const result = await client.query({ text: sql, rowMode: 'array' });
      const columns = result.fields.map((f) => ({
        name: f.name,
        type: POSTGRES_TYPE_NAMES[f.dataTypeID] ?? `oid:${f.dataTypeID}`,
      }));
      return inJsonForm(columns, result.rows as unknown[][]);
    },
    async load(database, tables) {
      const q = DIALECT_BY_NAME.postgres.quoteIdentifier;
      await client.query(`DROP SCHEMA IF EXISTS ${q(database)} CASCADE`);
      await client.query(`CREATE SCHEMA ${q(database)}`);
      for (const table of tables) {
        await client.query(createTableSql('postgres', database, table));
        for (let i = 0; i < table.rows.length; i += BATCH) {
          const batch = table.rows.slice(i, i + BATCH);
          const width = table.columns.length;
          const tuples = batch.map(
            (_, r) => `(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`,
          );
          await client.query(
            `INSERT INTO ${q(database)}.${q(table.table)} VALUES ${tuples.join(', ')}`,
            batch.flat(),
          );
        }
      }
    },
    async drop(database) {
      await client.query(
        `DROP SCHEMA IF EXISTS ${DIALECT_BY_NAME.postgres.quoteIdentifier(database)} CASCADE`,
      );
    },
    close: () => client.end(),
  };
}
