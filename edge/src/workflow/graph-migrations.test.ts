import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GRAPH_MIGRATIONS, GRAPH_VERSION, migrateGraph, type GraphMigration } from './graph-migrations.ts';
import { compile, graphDocumentSchema, validate } from './index.ts';

interface Fixture {
  catalog: unknown;
  documents: { name: string; target: string; expected: string[]; document: Record<string, unknown> }[];
}
const v0 = JSON.parse(
  readFileSync(new URL('./__fixtures__/graph_documents_v0.json', import.meta.url), 'utf8'),
) as Fixture;

describe('graph documents written by an older version', () => {
  it('the fixture holds documents without a version', () => {
    expect(v0.documents.length).toBeGreaterThanOrEqual(3);
    for (const { document } of v0.documents) expect(document).not.toHaveProperty('version');
  });

  for (const { name, target, expected, document } of v0.documents) {
    it(`${name}: migrates, validates and compiles`, () => {
      const migrated = migrateGraph(document);
      expect(migrated).toMatchObject({ ok: true, from: 0, graph: { version: GRAPH_VERSION } });
      expect(validate(document, v0.catalog)).toEqual([]);
      const compiled = compile(document, target, { catalog: v0.catalog, dialect: 'duckdb' });
      expect(compiled.ok && compiled.schema.map((c) => c.name)).toEqual(expected);
    });
  }

  it('migrating leaves the stored document untouched and is idempotent', () => {
    const document = structuredClone(v0.documents[0]!.document);
    const once = migrateGraph(document);
    expect(document).toEqual(v0.documents[0]!.document);
    const twice = once.ok && migrateGraph(once.graph);
    expect(twice).toEqual({ ok: true, graph: once.ok && once.graph, from: GRAPH_VERSION });
  });
});

describe('versions this build cannot read', () => {
  const graph = { version: GRAPH_VERSION + 1, nodes: [], edges: [] };
  const message = `This workflow was saved by a newer FlowForge (graph version ${GRAPH_VERSION + 1}); this one reads versions up to ${GRAPH_VERSION}`;

  it('a newer version is refused, not guessed at, by every entry point', () => {
    const refusal = [{ nodeId: '', field: 'version', code: 'INVALID_GRAPH', message }];
    expect(migrateGraph(graph)).toEqual({ ok: false, issues: refusal });
    expect(validate(graph, [])).toEqual(refusal);
    expect(compile(graph, 'x', { catalog: [] })).toEqual({ ok: false, errors: refusal });
    const parsed = graphDocumentSchema.safeParse(graph);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path, i.message])).toEqual([[['version'], message]]);
  });

  it.each([-1, 1.5])('version %s is not a version', (version) => {
    expect(migrateGraph({ version, nodes: [], edges: [] })).toMatchObject({
      ok: false,
      issues: [{ code: 'INVALID_GRAPH', field: 'version' }],
    });
  });

  it('what is not a graph document passes through for the graph schema to report', () => {
    expect(migrateGraph('nope')).toEqual({ ok: true, graph: 'nope', from: 0 });
    expect(validate({ version: 'one', nodes: [], edges: [] }, [])).toMatchObject([
      { code: 'INVALID_GRAPH', field: 'version' },
    ]);
  });
});

describe('the migration chain', () => {
  it('starts at version 1 and numbers its steps 1, 2, 3… without gaps', () => {
    expect(GRAPH_MIGRATIONS.map((m) => m.to)).toEqual(GRAPH_MIGRATIONS.map((_, i) => i + 1));
    expect(GRAPH_VERSION).toBe(GRAPH_MIGRATIONS.length);
  });

  // A chain as a future node-config change would add it: v2 renames filter's `where` to `conditions`.
  const chain: GraphMigration[] = [
    ...GRAPH_MIGRATIONS,
    {
      to: GRAPH_VERSION + 1,
      change: 'filter: `where` → `conditions`',
      up: (g) => ({
        ...g,
        nodes: g.nodes.map((n) => {
          const node = n as { type: string; data: Record<string, unknown> };
          if (node.type !== 'filter') return node;
          const { where, ...rest } = node.data;
          return { ...node, data: { ...rest, conditions: where } };
        }),
      }),
    },
    { to: GRAPH_VERSION + 2, change: 'a document-level default', up: (g) => ({ ...g, theme: 'dark' }) },
  ];
  const old = {
    nodes: [{ id: 'f', type: 'filter', data: { logic: 'OR', where: [{ column: 'a', op: 'IS_NULL' }] } }],
    edges: [],
  };

  it('runs every later step in order, once', () => {
    expect(migrateGraph(old, chain)).toEqual({
      ok: true,
      from: 0,
      graph: {
        version: GRAPH_VERSION + 2,
        theme: 'dark',
        nodes: [
          { id: 'f', type: 'filter', data: { logic: 'OR', conditions: [{ column: 'a', op: 'IS_NULL' }] } },
        ],
        edges: [],
      },
    });
  });

  it('skips the steps a document already has', () => {
    const current = {
      version: GRAPH_VERSION + 1,
      nodes: [{ id: 'f', type: 'filter', data: { where: 1 } }],
      edges: [],
    };
    expect(migrateGraph(current, chain)).toEqual({
      ok: true,
      from: GRAPH_VERSION + 1,
      graph: { ...current, version: GRAPH_VERSION + 2, theme: 'dark' },
    });
  });
});
