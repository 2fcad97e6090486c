import { analyze, sourceStore, type Analysis } from './analyze.ts';
import { DIALECT_BY_NAME, STORE_DIALECT, type Dialect } from './dialects/index.ts';
import type { WorkflowIssue } from './errors.ts';
import { lowerNodes } from './lower.ts';
import type { Store } from './schema.ts';

/** All problems of a graph against a catalog at once; an empty list means every node is valid. */
export function validate(graph: unknown, catalog: unknown): WorkflowIssue[] {
  const analyzed = analyze(graph, catalog);
  if (!analyzed.ok) return analyzed.issues;
  const { analysis } = analyzed;
  // Lowering the healthy nodes finds what only shows in expressions: graphs too complex to run, functions on
  // argument types the node's store cannot run.
  const healthy = analysis.structure.order.filter((id) => analysis.schemas.has(id));
  const stores = storesByNode(analysis);
  const dialectOf = (id: string): Dialect | undefined => {
    const [store, ...others] = stores.get(id) ?? [];
    return store === undefined || store === 'redis' || others.length > 0
      ? undefined
      : DIALECT_BY_NAME[STORE_DIALECT[store]];
  };
  return [
    ...analysis.issues,
    ...lowerNodes(analysis, healthy, { catalog: analysis.catalog }, dialectOf).issues,
  ];
}

/** The stores each node reads from, through its inputs (one, unless the graph mixes stores). */
function storesByNode(analysis: Analysis): Map<string, ReadonlySet<Store>> {
  const stores = new Map<string, ReadonlySet<Store>>();
  for (const id of analysis.structure.order) {
    const store = sourceStore(analysis, id);
    const inputs = (analysis.structure.inputs.get(id) ?? []).map((input) => stores.get(input));
    stores.set(
      id,
      store !== undefined
        ? new Set([store])
        : inputs.length === 1 && inputs[0]
          ? inputs[0]
          : new Set(inputs.flatMap((s) => [...(s ?? [])])),
    );
  }
  return stores;
}
