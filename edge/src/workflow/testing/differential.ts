import { afterAll, beforeAll } from 'vitest';
import { compile } from '../index.ts';
import { DIALECT_BY_NAME, DIALECTS } from '../dialects/index.ts';
import { mismatches } from './compare.ts';
import { datasetCatalog, type TableData } from './dataset.ts';
import { clickhouseEngine, duckdbEngine, postgresEngine, type BatchResult } from './engines.ts';
import { evaluateGraph } from './oracle.ts';
import type { CatalogInput } from '../schema.ts';
import { FUZZ_DATABASE, fuzzTables, type BuiltGraph } from './random-graphs.ts';

export interface Differential {
  /** Every problem of each graph on every engine ([] when all three equal the oracle); ClickHouse runs them batched. */
  problemsOf(graphs: readonly BuiltGraph[]): Promise<string[][]>;
  /** The stack's ClickHouse is one shared server that others restart: reloads tables that lost rows. */
  reloadIfDamaged(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Loads `tables` into `database` on DuckDB, the stack's ClickHouse and PostgreSQL, and compares compiled graphs run
 * there with the oracle in rows and types (through `fuzzDataset`).
 */
async function differential(database: string, tables: readonly TableData[]): Promise<Differential> {
  const catalog = datasetCatalog(tables, 'duckdb', database);
  const [duckdb, clickhouse, postgres] = await Promise.all([
    duckdbEngine(),
    clickhouseEngine(),
    postgresEngine(),
  ]);
  const engines = { duckdb, clickhouse, postgres };
  for (const engine of Object.values(engines)) await engine.load(database, tables);

  return {
    async problemsOf(graphs) {
      const oracles = graphs.map(({ graph, target, limit }) =>
        evaluateGraph(graph, target, catalog, tables, limit === null ? {} : { limit }),
      );
      const compiled = DIALECTS.map((dialect) =>
        graphs.map(({ graph, target, limit }) =>
          compile(graph, target, { catalog, dialect, ...(limit === null ? {} : { limit }) }),
        ),
      );
      const sqls = compiled.map((results) => results.map((r) => (r.ok ? r.sql : 'SELECT 1')));
      const one = (engine: { query(sql: string): Promise<BatchResult> }) => (sql: string) =>
        engine.query(sql).catch((error: unknown): BatchResult => ({ error: String(error) }));
      const results = await Promise.all(
        DIALECTS.map((dialect, d) =>
          dialect === 'clickhouse'
            ? clickhouse.queryBatch(sqls[d]!)
            : Promise.all(sqls[d]!.map(one(engines[dialect]))),
        ),
      );
      return graphs.map((_, g) =>
        DIALECTS.flatMap((dialect, d) => {
          const compiledGraph = compiled[d]![g]!;
          if (!compiledGraph.ok)
            return [`${dialect}: does not compile: ${JSON.stringify(compiledGraph.errors)}`];
          const result = results[d]![g]!;
          if ('error' in result) return [`${dialect}: ${result.error}\n${compiledGraph.sql}`];
          return mismatches(result, oracles[g]!).map((p) => `${dialect}: ${p}\n${compiledGraph.sql}`);
        }),
      );
    },

    async reloadIfDamaged() {
      for (const engine of Object.values(engines)) {
        const q = DIALECT_BY_NAME[engine.dialect].quoteIdentifier;
        const counts = await Promise.all(
          tables.map((t) =>
            engine
              .query(`SELECT count(*) AS n FROM ${q(database)}.${q(t.table)}`)
              .then((r) => Number(r.rows[0]![0]))
              .catch(() => -1),
          ),
        );
        if (counts.every((n, i) => n === tables[i]!.rows.length)) continue;
        console.warn(
          `${engine.dialect} lost the tables of ${database} (${counts.join(', ')} rows); reloading`,
        );
        await engine.load(database, tables);
      }
    },

    async close() {
      await Promise.all(
        Object.values(engines).map(async (e) => {
          await e.drop(database);
          await e.close();
        }),
      );
    },
  };
}

/**
 * The fuzz data set (`fuzzTables`) on every engine for the calling test file: loaded into the per-process
 * FUZZ_DATABASE before its tests and dropped after them (fuzz, node-pairs and date-function tests share it).
 * `engines` can be used once the file's tests run.
 */
export function fuzzDataset(): { catalog: CatalogInput; engines: Omit<Differential, 'close'> } {
  const tables = fuzzTables();
  let loaded: Differential | undefined;
  beforeAll(async () => {
    loaded = await differential(FUZZ_DATABASE, tables);
  });
  afterAll(() => loaded?.close());
  const ready = (): Differential => {
    if (!loaded) throw new Error('fuzzDataset: the engines load in beforeAll; use them inside a test');
    return loaded;
  };
  return {
    catalog: datasetCatalog(tables, 'duckdb', FUZZ_DATABASE),
    engines: {
      problemsOf: (graphs) => ready().problemsOf(graphs),
      reloadIfDamaged: () => ready().reloadIfDamaged(),
    },
  };
}
