import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { GRAPH_MIGRATIONS, GRAPH_VERSION, migrateGraph, type GraphMigration } from './graph-migrations.ts';
import { compile, graphDocumentSchema, validate } from './index.ts';
import { graphSchema, isCheckedGraph } from './schema.ts';

interface Fixture {
  catalog: unknown;
  documents: { name: string; target: string; expected: string[]; document: Record<string, unknown> }[];
}
const fixture = (version: number) =>
  JSON.parse(
    readFileSync(new URL(`./__fixtures__/graph_documents_v${version}.json`, import.meta.url), 'utf8'),
  ) as Fixture;
const v0 = fixture(0);
const v1 = fixture(1);

describe('graph documents written by an older version', () => {
  it('the fixtures hold documents of their version', () => {
    expect(v0.documents.length).toBeGreaterThanOrEqual(3);
    for (const { document } of v0.documents) expect(document).not.toHaveProperty('version');
    expect(v1.documents.length).toBeGreaterThanOrEqual(2);
    for (const { document } of v1.documents) expect(document).toHaveProperty('version', 1);
  });

  for (const [from, { catalog, documents }] of [v0, v1].entries())
    for (const { name, target, expected, document } of documents) {
      it(`v${from} ${name}: migrates, validates and compiles`, () => {
        const migrated = migrateGraph(document);
        expect(migrated).toMatchObject({ ok: true, from, graph: { version: GRAPH_VERSION } });
        expect(validate(document, catalog)).toEqual([]);
        const compiled = compile(document, target, { catalog, dialect: 'duckdb' });
        expect(compiled.ok && compiled.schema.map((c) => c.name)).toEqual(expected);
      });
    }

  it('a document the API checked (graphDocumentSchema) compiles without being migrated and parsed again', () => {
    const { catalog, documents } = v0;
    const { document, target } = documents[0]!;
    const checked = graphDocumentSchema.parse(document);
    expect(isCheckedGraph(checked)).toBe(true);
    expect(isCheckedGraph(document)).toBe(false);
    expect(isCheckedGraph(structuredClone(checked))).toBe(false);
    const parse = vi.spyOn(graphSchema, 'safeParse');
    try {
      const fromChecked = compile(checked, target, { catalog, dialect: 'duckdb' });
      expect(parse).not.toHaveBeenCalled();
      const fromDocument = compile(document, target, { catalog, dialect: 'duckdb' });
      expect(parse).toHaveBeenCalledTimes(1);
      expect(fromChecked.ok && fromChecked.sql).toBe(fromDocument.ok && fromDocument.sql);
      expect(fromChecked.ok && fromChecked.sql).toContain('SELECT');
    } finally {
      parse.mockRestore();
    }
  });

  it('migrating leaves the stored document untouched and is idempotent', () => {
    const document = structuredClone(v0.documents[0]!.document);
    const once = migrateGraph(document);
    expect(document).toEqual(v0.documents[0]!.document);
    const twice = once.ok && migrateGraph(once.graph);
    expect(twice).toEqual({ ok: true, graph: once.ok && once.graph, from: GRAPH_VERSION });
  });
});

describe('version 2: a join takes several key pairs', () => {
  const joinData = (data: Record<string, unknown>) => {
    const migrated = migrateGraph({ version: 1, nodes: [{ id: 'j', type: 'join', data }], edges: [] });
    return migrated.ok && (migrated.graph as { nodes: { data: unknown }[] }).nodes[0]!.data;
  };

  it('one key pair becomes the only entry of `keys`; the join type stays', () => {
    expect(joinData({ join_type: 'LEFT', left_key: 'symbol', right_key: 'ticker' })).toEqual({
      join_type: 'LEFT',
      keys: [{ left: 'symbol', right: 'ticker' }],
    });
    for (const { document } of [...v0.documents, ...v1.documents]) {
      const migrated = migrateGraph(document);
      const nodes = migrated.ok ? (migrated.graph as { nodes: { type: string; data: object }[] }).nodes : [];
      for (const node of nodes.filter((n) => n.type === 'join')) {
        expect(node.data).toHaveProperty('keys', [{ left: 'symbol', right: 'symbol' }]);
        expect(node.data).not.toHaveProperty('left_key');
      }
    }
  });

  it('a join the user had not configured yet gets no pair, so the canvas asks for keys', () => {
    expect(joinData({ join_type: 'INNER', left_key: '', right_key: '' })).toEqual({
      join_type: 'INNER',
      keys: [],
    });
    expect(joinData({ left_key: 'symbol', right_key: '' })).toEqual({
      keys: [{ left: 'symbol', right: '' }],
    });
    const unconfigured = {
      version: 1,
      nodes: [
        { id: 't', type: 'data_source', data: { database: 'market', table: 'trades' } },
        { id: 'i', type: 'data_source', data: { database: 'market', table: 'instruments' } },
        { id: 'j', type: 'join', data: { join_type: 'INNER', left_key: '', right_key: '' } },
      ],
      edges: [
        { id: 'l', source: 't', target: 'j', targetHandle: 'left' },
        { id: 'r', source: 'i', target: 'j', targetHandle: 'right' },
      ],
    };
    expect(validate(unconfigured, v0.catalog)).toEqual([
      { nodeId: 'j', field: 'keys', code: 'INVALID_CONFIG', message: 'join: Choose the keys to join on' },
    ]);
  });

  it('other nodes, and joins already in the new shape, are left alone', () => {
    const nodes = [
      { id: 'f', type: 'filter', data: { left_key: 'not a join' } },
      { id: 'j', type: 'join', data: { keys: [{ left: 'a', right: 'b' }] } },
      'not even a node',
    ];
    expect(migrateGraph({ version: 1, nodes, edges: [] })).toEqual({
      ok: true,
      from: 1,
      graph: { version: GRAPH_VERSION, nodes, edges: [] },
    });
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
