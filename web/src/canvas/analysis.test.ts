import { catalogSchema } from '@flowforge/edge/workflow';
import { describe, expect, it } from 'vitest';
import fixture from '../../../edge/src/workflow/__fixtures__/schema_propagation_cases.json';
import { analyze } from './analysis.ts';
import type { WorkflowGraph } from './graph.ts';
import { createCanvasStore } from './store.ts';

interface Case {
  name: string;
  catalog?: unknown;
  graph: WorkflowGraph;
  expected: Record<string, unknown[]>;
  errors?: { nodeId: string; code: string; field?: string }[];
}

// The same fixture the engine's own tests use: the canvas must see exactly the schemas the server compiles against,
// after a round-trip through the canvas store (React Flow state → saved graph).
describe('canvas analysis on the shared propagation fixture', () => {
  it.each((fixture.cases as unknown as Case[]).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const catalog = catalogSchema.parse(c.catalog ?? fixture.catalog);
    const store = createCanvasStore({ graph: c.graph });
    const analysis = analyze(store.getState().graph(), catalog);
    for (const [nodeId, columns] of Object.entries(c.expected))
      expect(analysis.schemas.get(nodeId), nodeId).toEqual(columns);
    const reported = [...analysis.issues.values(), analysis.graphIssues]
      .flat()
      .map(({ nodeId, code, field }) => ({ nodeId, code, ...(field === undefined ? {} : { field }) }));
    expect(reported.sort((a, b) => a.nodeId.localeCompare(b.nodeId))).toEqual(
      [...(c.errors ?? [])].sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
    );
  });
});
