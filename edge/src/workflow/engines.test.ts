import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, NODE_TYPES, type CompileSuccess } from './index.ts';
import type { DialectName } from './dialects/index.ts';
import { datasetCatalog, generateDataset, TEST_DATABASE } from './testing/dataset.ts';
import { clickhouseEngine, duckdbEngine, postgresEngine, type Engine } from './testing/engines.ts';
import { caseGraph, ENGINE_CASES, type EngineCase } from './testing/graphs.ts';
import { normalizeRows, sortRows } from './testing/normalize.ts';

/**
 * Every case compiles per dialect and runs on DuckDB (in memory), the stack's ClickHouse and the stack's PostgreSQL;
 * all three must return the same rows. The stores are required: an unreachable one fails the suite loudly.
 */
const tables = generateDataset();
const engines = new Map<DialectName, Engine>();

async function start(...connect: (() => Promise<Engine>)[]): Promise<void> {
  for (const engine of await Promise.all(connect.map((c) => c()))) {
    await engine.load(TEST_DATABASE, tables);
    engines.set(engine.dialect, engine);
  }
}

afterAll(async () => {
  await Promise.all(
    [...engines.values()].map(async (e) => {
      await e.drop(TEST_DATABASE);
      await e.close();
    }),
  );
});

const catalog = datasetCatalog(tables, 'duckdb');

function compileFor(c: EngineCase, dialect: DialectName): CompileSuccess {
  const { graph, target } = caseGraph(c);
  const result = compile(graph, target, {
    catalog,
    dialect,
    ...(c.acl ? { acl: c.acl } : {}),
    ...(c.limit !== undefined ? { limit: c.limit } : {}),
  });
  if (!result.ok)
    throw new Error(`${c.name} (${dialect}) does not compile: ${JSON.stringify(result.errors)}`);
  return result;
}

async function execute(c: EngineCase, dialect: DialectName): Promise<unknown[][]> {
  const compiled = compileFor(c, dialect);
  const rows = await engines
    .get(dialect)!
    .run(compiled.sql)
    .catch((error: unknown) => {
      throw new Error(`${c.name} failed on ${dialect}: ${String(error)}\n${compiled.sql}`);
    });
  expect(rows.every((r) => r.length === compiled.schema.length)).toBe(true);
  return normalizeRows(
    rows,
    compiled.schema.map((col) => col.type),
  );
}

const CASES = ENGINE_CASES.map((c) => [c.name, c] as const);

describe('on DuckDB (embedded)', () => {
  beforeAll(() => start(duckdbEngine));

  it('the cases cover every node type', () => {
    const covered = new Set(ENGINE_CASES.flatMap((c) => c.nodes.map((n) => n.type)));
    expect([...covered].sort()).toEqual([...NODE_TYPES.keys()].sort());
  });

  it.each(CASES)('%s', async (_name, c) => {
    const rows = await execute(c, 'duckdb');
    if (c.rowCount) {
      expect(rows.length).toBeGreaterThanOrEqual(c.rowCount.min);
      expect(rows.length).toBeLessThanOrEqual(c.rowCount.max);
    } else {
      expect(rows.length).toBeGreaterThanOrEqual(c.minRows ?? 0);
    }
    if (c.acl?.allowedSymbols.length === 0) expect(rows).toEqual([]);
  });
});

describe('on ClickHouse and PostgreSQL (stack), compared with DuckDB', () => {
  beforeAll(async () => {
    if (!engines.has('duckdb')) await start(duckdbEngine);
    await start(clickhouseEngine, postgresEngine);
  });

  it.each(CASES)('%s', async (_name, c) => {
    const [duck, click, post] = await Promise.all(
      (['duckdb', 'clickhouse', 'postgres'] as const).map((d) => execute(c, d)),
    );
    if (c.rowCount) {
      for (const rows of [click!, post!]) {
        expect(rows.length).toBeGreaterThanOrEqual(c.rowCount.min);
        expect(rows.length).toBeLessThanOrEqual(c.rowCount.max);
      }
      return;
    }
    const comparable = (rows: unknown[][]) => (c.ordered ? rows : sortRows(rows));
    expect(comparable(click!)).toEqual(comparable(duck!));
    expect(comparable(post!)).toEqual(comparable(duck!));
  });
});
