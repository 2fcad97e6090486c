import { compile, type Catalog } from '@flowforge/edge/workflow';
import type { WorkflowGraph } from '../canvas/graph.ts';

const DIALECT_OF_STORE = { clickhouse: 'clickhouse', materialize: 'postgres', postgres: 'postgres', duckdb: 'duckdb' } as const;

export type NodeSql = { ok: true; sql: string } | { ok: false; messages: string[] };

/**
 * The SQL the engine generates for one node, in the dialect of the store its sources live in — the same compiler the
 * server runs, so what the SQL tab shows is what executes (minus the tenant ACL the server adds at the scan).
 */
export function compileForNode(graph: WorkflowGraph, nodeId: string, catalog: Catalog): NodeSql {
  const source = graph.nodes.find((n) => n.type === 'data_source');
  const table = catalog.find((t) => t.database === source?.data.database && t.table === source?.data.table);
  const dialect = DIALECT_OF_STORE[table?.store ?? 'duckdb'];
  const result = compile(graph, nodeId, { dialect, catalog });
  if (!result.ok) return { ok: false, messages: result.errors.map((e) => e.message) };
  const own = result.value.perNode.find((p) => p.nodeId === nodeId);
  return { ok: true, sql: own?.sql ?? result.value.sql };
}
