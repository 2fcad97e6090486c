import { issue, type WorkflowIssue } from './errors.ts';

/**
 * Saved graph documents carry `version`, so a node's config shape can change without breaking stored workflows: each
 * change adds one numbered step here, and every load migrates (`analyze()`, the API's reads and writes, the canvas),
 * so node code only ever sees the current shape. Steps are pure and run on raw JSON, before any schema check, because
 * an old shape need not pass today's schemas.
 */
export interface GraphMigration {
  /** The version this step produces; steps run in order, each once, from the document's version + 1. */
  to: number;
  /** What changed, for the reader of a stored document. */
  change: string;
  up(document: GraphDocument): GraphDocument;
}

/** The outer shape every version shares; node `data` is whatever that version's node types said. */
export interface GraphDocument {
  version?: number;
  nodes: unknown[];
  edges: unknown[];
  [key: string]: unknown;
}

export const GRAPH_MIGRATIONS: readonly GraphMigration[] = [
  {
    to: 1,
    change: 'Documents saved before versioning have no `version`; their shape is version 1 unchanged.',
    up: (document) => document,
  },
  {
    to: 2,
    change:
      'join: one key pair `left_key`/`right_key` → `keys: [{left, right}, …]` (rows match when every pair does).',
    up: (document) => ({ ...document, nodes: document.nodes.map(joinKeysToPairs) }),
  },
];

/**
 * A join node's `left_key`/`right_key` become one pair in `keys`. A node that is not a join (or not even an object)
 * is left alone; an empty key (a join the user had not configured yet) becomes no pair, so the panel asks for keys.
 */
function joinKeysToPairs(node: unknown): unknown {
  if (!isRecord(node) || node.type !== 'join' || !isRecord(node.data)) return node;
  const { left_key, right_key, ...rest } = node.data;
  if (left_key === undefined && right_key === undefined) return node;
  const unset = (key: unknown) => key === undefined || key === '';
  const keys = unset(left_key) && unset(right_key) ? [] : [{ left: left_key ?? '', right: right_key ?? '' }];
  return { ...node, data: { ...rest, keys } };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The version every document is migrated to, and the one the canvas and the API write. */
export const GRAPH_VERSION = GRAPH_MIGRATIONS.at(-1)!.to;

export type MigrationResult =
  { ok: true; graph: unknown; from: number } | { ok: false; issues: WorkflowIssue[] };

/**
 * Brings a stored or posted document to the latest version. A document that is not even an object with `nodes` and
 * `edges` arrays is returned as it is, for the graph schema to report; a version newer than this build knows is
 * refused rather than guessed at.
 */
export function migrateGraph(
  document: unknown,
  migrations: readonly GraphMigration[] = GRAPH_MIGRATIONS,
): MigrationResult {
  if (!isGraphDocument(document)) return { ok: true, graph: document, from: 0 };
  const latest = migrations.at(-1)?.to ?? 0;
  const from = document.version ?? 0;
  if (!Number.isSafeInteger(from) || from < 0)
    return fail('`version` must be a whole number ≥ 0 (omit it for documents saved before versioning)');
  if (from > latest)
    return fail(
      `This workflow was saved by a newer FlowForge (graph version ${from}); this one reads versions up to ${latest}`,
    );
  let graph = document;
  for (const step of migrations) if (step.to > from) graph = step.up(graph);
  return { ok: true, graph: { ...graph, version: latest }, from };
}

function isGraphDocument(value: unknown): value is GraphDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { nodes, edges, version } = value as Record<string, unknown>;
  return (
    Array.isArray(nodes) && Array.isArray(edges) && (version === undefined || typeof version === 'number')
  );
}

const fail = (message: string): MigrationResult => ({
  ok: false,
  issues: [issue('', 'INVALID_GRAPH', message, 'version')],
});
