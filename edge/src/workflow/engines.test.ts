import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, NODE_TYPES, type CompileSuccess } from './index.ts';
import type { DialectName } from './dialects/index.ts';
import { mismatches } from './testing/compare.ts';
import { datasetCatalog, generateDataset, TEST_DATABASE } from './testing/dataset.ts';
import {
  clickhouseEngine,
  duckdbEngine,
  postgresEngine,
  type Engine,
  type EngineResult,
} from './testing/engines.ts';
import { caseGraph, ENGINE_CASES, type EngineCase } from './testing/graphs.ts';
import { evaluateGraph, type OracleResult } from './testing/oracle.ts';

/**
 * Every case compiles per dialect and runs on DuckDB (in memory), the stack's ClickHouse and the stack's PostgreSQL.
 * Each engine's answer must equal the oracle's (testing/oracle.ts) in rows and types, and the engines must agree with
 * each other. The stores are required: an unreachable one fails the suite loudly.
 */
const tables = generateDataset();
const engines = new Map<DialectName, Engine>();
const DIALECTS = ['duckdb', 'clickhouse', 'postgres'] as const;

beforeAll(async () => {
  for (const engine of await Promise.all([duckdbEngine(), clickhouseEngine(), postgresEngine()])) {
    await engine.load(TEST_DATABASE, tables);
    engines.set(engine.dialect, engine);
  }
});

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

function oracleFor(c: EngineCase): OracleResult {
  const { graph, target } = caseGraph(c);
  return evaluateGraph(graph, target, catalog, tables, {
    ...(c.acl ? { acl: c.acl } : {}),
    ...(c.limit !== undefined ? { limit: c.limit } : {}),
  });
}

async function execute(c: EngineCase, dialect: DialectName): Promise<EngineResult & { sql: string }> {
  const compiled = compileFor(c, dialect);
  const result = await engines
    .get(dialect)!
    .query(compiled.sql)
    .catch((error: unknown) => {
      throw new Error(`${c.name} failed on ${dialect}: ${String(error)}\n${compiled.sql}`);
    });
  return { ...result, sql: compiled.sql };
}

const CASES = ENGINE_CASES.map((c) => [c.name, c] as const);

it('the cases cover every node type', () => {
  const covered = new Set(ENGINE_CASES.flatMap((c) => c.nodes.map((n) => n.type)));
  expect([...covered].sort()).toEqual([...NODE_TYPES.keys()].sort());
});

describe('each engine equals the oracle in rows and types (DuckDB, ClickHouse, PostgreSQL)', () => {
  it.each(CASES)('%s', async (_name, c) => {
    const oracle = oracleFor(c);
    if (c.minRows !== undefined) expect(oracle.rows.length).toBeGreaterThanOrEqual(c.minRows);
    const results = await Promise.all(DIALECTS.map((d) => execute(c, d)));
    results.forEach((result, i) => {
      expect({ dialect: DIALECTS[i], problems: mismatches(result, oracle), sql: result.sql }).toMatchObject({
        problems: [],
      });
      if (c.rowCount) {
        expect(result.rows.length).toBeGreaterThanOrEqual(c.rowCount.min);
        expect(result.rows.length).toBeLessThanOrEqual(c.rowCount.max);
      }
    });
    if (c.acl?.allowedSymbols?.length === 0) expect(results[0]!.rows).toEqual([]);
    // Cross-engine, as multisets: engines must agree with each other too (samples excepted: each engine draws its own).
    if (c.rowCount) return;
    const duck = {
      ...oracle,
      rows: results[0]!.rows,
      ranks: results[0]!.rows.map(() => 0),
      determinate: true,
    };
    for (const other of results.slice(1)) expect(mismatches(other, duck)).toEqual([]);
  });
});

describe("count: every case's total rows on each engine equal the oracle's (the preview's total)", () => {
  const counted = CASES.filter(([, c]) => !c.rowCount);
  it.each(counted)('%s', async (_name, c) => {
    const { graph, target } = caseGraph(c);
    const oracle = evaluateGraph(graph, target, catalog, tables, c.acl ? { acl: c.acl } : {});
    for (const dialect of DIALECTS) {
      const result = compile(graph, target, {
        catalog,
        dialect,
        count: true,
        ...(c.acl ? { acl: c.acl } : {}),
      });
      if (!result.ok)
        throw new Error(`${c.name} (${dialect}) does not count: ${JSON.stringify(result.errors)}`);
      const { rows } = await engines.get(dialect)!.query(result.sql);
      expect({ dialect, total: Number(rows[0]![0]), sql: result.sql }).toMatchObject({
        total: oracle.rows.length,
      });
    }
  });
});
