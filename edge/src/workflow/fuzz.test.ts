import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzDataset } from './testing/differential.ts';
import {
  buildGraph,
  FUZZ_DATABASE,
  graphChoice,
  type BuiltGraph,
  type GraphChoice,
} from './testing/random-graphs.ts';

/**
 * Differential fuzzing: random valid graphs over every node type, compiled per dialect, run on DuckDB, the stack's
 * ClickHouse and PostgreSQL, and compared with the oracle in rows and types. FUZZ_RUNS sets the size (CI: 5 000;
 * nightly: FUZZ_RUNS=100000 FUZZ_SEED=random), FUZZ_SEED replays a run. A failure is shrunk by fast-check and the
 * minimal graph is appended to `__fixtures__/fuzz-regressions.json`, which every run replays first.
 * `npm test` uses a fixed seed so CI is repeatable: a new seed's finding is a bug to fix and save as a regression
 * case, not a red build that a rerun turns green.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000);
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 11);
const BATCH = 40;
const REGRESSIONS = new URL('./__fixtures__/fuzz-regressions.json', import.meta.url);
const { catalog, engines } = fuzzDataset();

const problemsOf = (graphs: readonly BuiltGraph[]) => engines.problemsOf(graphs);

/** Saved graphs name the database `$fuzz`: each run loads the tables into its own per-process database. */
const PLACEHOLDER = '$fuzz';
const saved = (): BuiltGraph[] =>
  existsSync(REGRESSIONS)
    ? (JSON.parse(readFileSync(REGRESSIONS, 'utf8').replaceAll(PLACEHOLDER, FUZZ_DATABASE)) as BuiltGraph[])
    : [];
const save = (graphs: BuiltGraph[]): void =>
  writeFileSync(REGRESSIONS, `${JSON.stringify(graphs, null, 2).replaceAll(FUZZ_DATABASE, PLACEHOLDER)}\n`);

/** fast-check shrinks a failing choice to the smallest graph that still fails. */
async function shrink(failing: GraphChoice): Promise<BuiltGraph> {
  const result = await fc.check(
    fc.asyncProperty(
      graphChoice,
      async (choice) => (await problemsOf([buildGraph(choice, catalog)]))[0]!.length === 0,
    ),
    { examples: [[failing]], numRuns: 1, seed: SEED },
  );
  return buildGraph(result.counterexample?.[0] ?? failing, catalog);
}

describe('differential fuzzing against the oracle', () => {
  it('replays the saved regressions', async () => {
    const graphs = saved();
    expect(await problemsOf(graphs)).toEqual(graphs.map(() => []));
  });

  it(`${RUNS} random graphs equal the oracle on DuckDB, ClickHouse and PostgreSQL`, async () => {
    const choices = fc.sample(graphChoice, { numRuns: RUNS, seed: SEED });
    let nodes = 0;
    for (let i = 0; i < choices.length; i += BATCH) {
      const batch = choices.slice(i, i + BATCH);
      const graphs = batch.map((choice) => buildGraph(choice, catalog));
      nodes += graphs.reduce((sum, g) => sum + g.graph.nodes.length, 0);
      const problems = await problemsOf(graphs);
      const failed = problems.findIndex((p) => p.length > 0);
      if (failed < 0) continue;
      // The stack's ClickHouse is one shared server that other runs restart: check the tables are still whole before
      // blaming the compiler, and count a mismatch only once it repeats on its own.
      await engines.reloadIfDamaged();
      const again = await problemsOf([graphs[failed]!]);
      if (again[0]!.length === 0) {
        console.warn(`fuzz: not reproducible, ignored:\n${problems[failed]!.join('\n')}`);
        continue;
      }
      const minimal = await shrink(batch[failed]!);
      save([...saved(), minimal]);
      const [minimalProblems] = await problemsOf([minimal]);
      expect({ seed: SEED, graph: minimal, problems: minimalProblems }).toEqual({
        seed: SEED,
        graph: minimal,
        problems: [],
      });
    }
    console.info(`fuzz: ${choices.length} graphs (${nodes} nodes), seed ${SEED}: no mismatch`);
  }, 1_200_000);
});
