import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../testing/dataset.ts';
import { duckdbEngine } from '../testing/engines.ts';

const BIN = join(import.meta.dirname, '../../../bin/flowforge.js');
const dir = mkdtempSync(join(tmpdir(), 'flowforge-cli-'));
const database = join(dir, 'data.duckdb');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function flowforge(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const graph = (nodes: { id: string; type: string; data: unknown }[]) => ({
  nodes: nodes.map((n, i) => ({ ...n, position: { x: i * 100, y: 0 } })),
  edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id })),
});

const tradesGraph = graph([
  { id: 'src', type: 'data_source', data: { database: 'market', table: 'trades' } },
  {
    id: 'f',
    type: 'filter',
    data: { logic: 'AND', conditions: [{ column: 'side', op: '=', value: 'BUY' }] },
  },
  { id: 'sel', type: 'select', data: { columns: ['trade_id', 'quantity', 'event_time'] } },
  { id: 'srt', type: 'sort', data: { sorts: [{ column: 'trade_id', direction: 'ASC' }] } },
  { id: 'tv', type: 'table_view', data: { page: 0, page_size: 5 } },
]);

beforeAll(async () => {
  const engine = await duckdbEngine(database);
  await engine.load('market', generateDataset(11, 200, 50));
  await engine.connection.run(`CREATE TABLE market.extremes AS SELECT * FROM (VALUES
    (1, 9007199254740993::BIGINT, 12.5000::DECIMAL(18,4), 1234567890123456.78::DECIMAL(20,2)),
    (2, 42::BIGINT, -0.0001::DECIMAL(18,4), 1.50::DECIMAL(20,2))) AS t(id, big, small_decimal, wide_decimal)`);
  await engine.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flowforge CLI', () => {
  it('schema prints the graph JSON Schema with one variant per node type', async () => {
    const run = await flowforge('schema');
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as {
      $schema: string;
      properties: { nodes: { items: { oneOf: unknown[] } } };
    };
    expect(schema.$schema).toContain('json-schema.org');
    expect(schema.properties.nodes.items.oneOf).toHaveLength(18);
  });

  it('validate exits 0 on a valid graph (catalog discovered from DuckDB)', async () => {
    const run = await flowforge('validate', writeJson('ok.json', tradesGraph), '--duckdb', database);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, errors: [] });
  });

  it('validate exits 1 with JSON errors on an invalid graph', async () => {
    const bad = graph([
      { id: 'src', type: 'data_source', data: { database: 'market', table: 'trades' } },
      {
        id: 'f',
        type: 'filter',
        data: { logic: 'AND', conditions: [{ column: 'prce', op: '>', value: 1 }] },
      },
    ]);
    const run = await flowforge('validate', writeJson('bad.json', bad), '--duckdb', database);
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout) as {
      ok: boolean;
      errors: { nodeId: string; field: string; code: string; message: string }[];
    };
    expect(output.ok).toBe(false);
    expect(output.errors).toEqual([
      expect.objectContaining({ nodeId: 'f', field: 'conditions[0].column', code: 'UNKNOWN_COLUMN' }),
    ]);
    expect(output.errors[0]!.message).toContain('Did you mean "price"?');
  });

  it('compile prints the compile result for the chosen dialect, from a catalog file', async () => {
    const catalog = writeJson('catalog.json', [
      {
        database: 'market',
        table: 'trades',
        store: 'clickhouse',
        columns: generateDataset(1, 1, 1)[1]!.columns,
      },
    ]);
    const run = await flowforge(
      'compile',
      writeJson('c.json', tradesGraph),
      '--target',
      'tv',
      '--catalog',
      catalog,
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      ok: boolean;
      sql: string;
      dialect: string;
      store: string;
      perNode: unknown[];
      schema: unknown[];
    };
    expect(result).toMatchObject({ ok: true, dialect: 'clickhouse', store: 'clickhouse' });
    expect(result.sql.match(/SELECT/g)).toHaveLength(1);
    expect(result.perNode).toHaveLength(5);
    const postgres = JSON.parse(
      (
        await flowforge(
          'compile',
          join(dir, 'c.json'),
          '--target',
          'tv',
          '--catalog',
          catalog,
          '--dialect',
          'postgres',
        )
      ).stdout,
    ) as { sql: string };
    expect(postgres.sql).toContain('FROM "market"."trades"');
  });

  it('compile exits 1 for an unknown target', async () => {
    const run = await flowforge(
      'compile',
      writeJson('c2.json', tradesGraph),
      '--target',
      'nope',
      '--duckdb',
      database,
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, errors: [{ code: 'UNKNOWN_TARGET' }] });
  });

  it('run executes on DuckDB and prints columns and rows', async () => {
    const run = await flowforge(
      'run',
      writeJson('r.json', tradesGraph),
      '--target',
      'tv',
      '--duckdb',
      database,
    );
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { columns: { name: string; type: string }[]; rows: unknown[][] };
    expect(output.columns).toEqual([
      { name: 'trade_id', type: 'string' },
      { name: 'quantity', type: 'decimal(18,4)' },
      { name: 'event_time', type: 'datetime' },
    ]);
    expect(output.rows).toHaveLength(5);
    for (const [id, quantity, time] of output.rows) {
      expect(id).toMatch(/^T\d{6}$/);
      expect(typeof quantity).toBe('number');
      expect(time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    }
    const ids = output.rows.map((r) => r[0] as string);
    expect([...ids].sort()).toEqual(ids);
  });

  it('run honours --limit and keeps unsafe 64-bit integers and wide decimals as strings', async () => {
    const extremes = graph([
      { id: 'src', type: 'data_source', data: { database: 'market', table: 'extremes' } },
      { id: 'srt', type: 'sort', data: { sorts: [{ column: 'id', direction: 'ASC' }] } },
    ]);
    const run = await flowforge(
      'run',
      writeJson('x.json', extremes),
      '--target',
      'srt',
      '--duckdb',
      database,
      '--limit',
      '2',
    );
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { columns: { type: string }[]; rows: unknown[][] };
    expect(output.columns.map((c) => c.type)).toEqual(['int64', 'int64', 'decimal(18,4)', 'decimal(20,2)']);
    expect(output.rows).toEqual([
      [1, '9007199254740993', 12.5, '1234567890123456.78'],
      [2, 42, -0.0001, 1.5],
    ]);
    const limited = JSON.parse(
      (await flowforge('run', join(dir, 'x.json'), '--target', 'srt', '--duckdb', database, '--limit', '1'))
        .stdout,
    ) as { rows: unknown[] };
    expect(limited.rows).toHaveLength(1);
  });

  it('reports usage errors with exit code 2', async () => {
    expect((await flowforge('compile', join(dir, 'r.json'), '--duckdb', database)).code).toBe(2);
    expect((await flowforge('run', join(dir, 'r.json'), '--target', 'tv')).code).toBe(2);
    expect((await flowforge('validate', join(dir, 'missing.json'), '--duckdb', database)).code).toBe(2);
    const unknown = await flowforge('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command');
  });
});
