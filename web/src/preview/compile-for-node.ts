import { compile, type Catalog } from '@flowforge/edge/workflow';
import type { WorkflowGraph } from '../canvas/graph.ts';

export type NodeSql = { ok: true; sql: string } | { ok: false; messages: string[] };

/**
 * The SQL the engine generates for one node, in the dialect of the store its sources live in: the same compiler the
 * server runs, so the SQL tab shows what executes (minus the tenant ACL the server adds at the scan).
 */
export function compileForNode(graph: WorkflowGraph, nodeId: string, catalog: Catalog): NodeSql {
  const result = compile(graph, nodeId, { catalog });
  if (!result.ok) return { ok: false, messages: result.errors.map((e) => e.message) };
  return { ok: true, sql: result.perNode.find((p) => p.nodeId === nodeId)?.sql ?? result.sql };
}
