import { upstream, type Graph } from '../workflow/index.ts';

/**
 * What a workflow output reads, for cache keys and live routing: the tables its subgraph scans and, per scanned table,
 * the symbols that can reach the output (null = any). Filters on a column named `symbol` with `=`/`IN` narrow it; the
 * analysis only ever errs towards "any symbol", which costs an extra refresh, never a missed one — except for a graph
 * that renames another column to `symbol` before filtering on it.
 */
export interface LiveReads {
  tables: string[];
  symbolsByTable: Record<string, string[] | null>;
}

interface LooseNode {
  id: string;
  type: string;
  data?: unknown;
}

type Symbols = Set<string> | null; // null = unrestricted

const intersect = (a: Symbols, b: Symbols): Symbols =>
  a === null ? b : b === null ? a : new Set([...a].filter((s) => b.has(s)));
const unite = (a: Symbols, b: Symbols): Symbols => (a === null || b === null ? null : new Set([...a, ...b]));

function conditionSymbols(c: unknown): Symbols | undefined {
  const { column, op, value } = (c ?? {}) as { column?: unknown; op?: unknown; value?: unknown };
  if (column !== 'symbol') return undefined;
  if (op === '=' && typeof value === 'string') return new Set([value]);
  if (op === 'IN' && Array.isArray(value))
    return new Set(value.filter((v): v is string => typeof v === 'string'));
  return undefined;
}

/** The symbols a filter node lets through (null = it does not restrict the symbol). */
function filterSymbols(node: LooseNode): Symbols {
  if (node.type !== 'filter') return null;
  const { logic, conditions } = (node.data ?? {}) as { logic?: unknown; conditions?: unknown };
  if (!Array.isArray(conditions) || conditions.length === 0) return null;
  const parts = conditions.map(conditionSymbols);
  if (logic === 'OR') {
    // Any condition that is not a symbol test lets every symbol through.
    return parts.some((p) => p === undefined)
      ? null
      : parts.reduce<Symbols>((a, p) => unite(a, p!), new Set());
  }
  return parts.reduce<Symbols>((a, p) => (p === undefined ? a : intersect(a, p)), null);
}

export function liveReads(graph: Graph, target: string): LiveReads {
  const nodes = new Map<string, LooseNode>(graph.nodes.map((n) => [n.id, n]));
  const inputsOf = (id: string) => graph.edges.filter((e) => e.target === id).map((e) => e.source);
  const members = upstream(target, inputsOf);
  members.add(target);
  const outputsOf = (id: string) =>
    graph.edges.filter((e) => e.source === id && members.has(e.target)).map((e) => e.target);

  // passes(n) = symbols that can flow from n's output to the target: n's own filter ∩ the union over its outputs.
  const memo = new Map<string, Symbols>();
  const passes = (id: string, seen: Set<string>): Symbols => {
    if (memo.has(id)) return memo.get(id)!;
    if (seen.has(id)) return null; // a cycle: the compiler refuses it anyway
    seen.add(id);
    const node = nodes.get(id);
    const own = node ? filterSymbols(node) : null;
    const outs = id === target ? [] : outputsOf(id);
    const downstream =
      outs.length === 0 ? null : outs.reduce<Symbols>((a, o) => unite(a, passes(o, seen)), new Set());
    const result = intersect(own, downstream);
    memo.set(id, result);
    return result;
  };

  const symbolsByTable: Record<string, string[] | null> = {};
  for (const id of members) {
    const node = nodes.get(id);
    if (node?.type !== 'data_source') continue;
    const { database, table } = (node.data ?? {}) as { database?: unknown; table?: unknown };
    if (typeof database !== 'string' || typeof table !== 'string') continue;
    const name = `${database}.${table}`;
    const symbols = passes(id, new Set());
    const previous = symbolsByTable[name];
    const merged = name in symbolsByTable ? unite(previous ? new Set(previous) : null, symbols) : symbols;
    symbolsByTable[name] = merged === null ? null : [...merged].sort();
  }
  return { tables: Object.keys(symbolsByTable).sort(), symbolsByTable };
}
