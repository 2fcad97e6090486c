import { describe, expect, it } from 'vitest';
import { NODE_TYPES } from './index.ts';
import { fuzzDataset } from './testing/differential.ts';
import { buildGraph, STEPS, TERMINALS, type BuiltGraph, type StepChoice } from './testing/random-graphs.ts';

/**
 * The ordered-pair grid: for every node kind A that can feed another node and every kind B, one graph in which A's
 * output is B's input, compiled per dialect, run on DuckDB, the stack's ClickHouse and PostgreSQL (one query per pair
 * per engine, ClickHouse batched) and compared with the oracle in rows and types. Configs come from the fuzzer's
 * builder (`random-graphs.ts`): the first of a few fixed variants whose graph really holds the edge A → B.
 */
const FEEDERS = ['data_source', ...STEPS];
const TARGETS = [...STEPS, ...TERMINALS.filter((t) => t !== 'none')];
const VARIANTS = 12;
const { catalog, engines } = fuzzDataset();

const choice = (type: string, v: number, salt: number): StepChoice => {
  const kind = STEPS.indexOf(type) >= 0 ? STEPS.indexOf(type) : TERMINALS.indexOf(type);
  return { kind, a: v * 7 + salt, b: v * 13 + 2 * salt + 1, c: v * 5 + 3 * salt, d: v * 11 + salt + 2 };
};

/** Whether some node of type `b` reads a node of type `a` (the left input of a join counts, as does any union input). */
function holdsEdge(built: BuiltGraph, a: string, b: string): boolean {
  const typeOf = new Map(built.graph.nodes.map((n) => [n.id, n.type]));
  return built.graph.edges.some((e) => typeOf.get(e.source) === a && typeOf.get(e.target) === b);
}

function pairGraph(a: string, b: string): BuiltGraph | undefined {
  for (let v = 0; v < VARIANTS; v++) {
    const terminal = TERMINALS.includes(b);
    const steps = [...(a === 'data_source' ? [] : [choice(a, v, 1)]), ...(terminal ? [] : [choice(b, v, 2)])];
    const built = buildGraph(
      { steps, terminal: terminal ? choice(b, v, 3) : choice('none', v, 3), limit: null },
      catalog,
    );
    if (holdsEdge(built, a, b)) return built;
  }
  return undefined;
}

const PAIRS = FEEDERS.flatMap((a) => TARGETS.map((b) => [a, b] as const));

describe('every ordered pair of node kinds A → B', () => {
  it('the grid covers every node type', () => {
    expect([...new Set([...FEEDERS, ...TARGETS])].sort()).toEqual([...NODE_TYPES.keys()].sort());
  });

  it(`${PAIRS.length} pairs equal the oracle on DuckDB, ClickHouse and PostgreSQL`, async () => {
    const graphs = PAIRS.map(([a, b]) => ({ pair: `${a} → ${b}`, built: pairGraph(a, b) }));
    expect(graphs.filter((g) => g.built === undefined).map((g) => g.pair)).toEqual([]);
    const problems = await engines.problemsOf(graphs.map((g) => g.built!));
    const failing = Object.fromEntries(
      graphs.flatMap((g, i) => (problems[i]!.length > 0 ? [[g.pair, problems[i]]] : [])),
    );
    expect(failing).toEqual({});
  }, 300_000);
});
