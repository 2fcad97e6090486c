import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { node } from '../test-support/graphs.ts';
import { startHarness, type Harness } from '../test-support/harness.ts';
import { privateTable } from '../test-support/private-table.ts';
import { uniqueTenant } from '../test-support/stack.ts';
import { MemoryCache } from '../adapters/memory/index.ts';
import { bumpDataVersions, readDataVersions } from './data-versions.ts';
import { dataVersionKey } from './keys.ts';

const table = privateTable('edge_dv_test', 'symbol String, price Float64', "('AAPL', 1)");
let h: Harness;

beforeAll(async () => {
  await table.create();
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
  await table.drop();
});

describe('data versions stamped on the cached answer', () => {
  it('a batch appended since the last preview (a version bump) makes the next preview fresh', async () => {
    const tenant = uniqueTenant('dv');
    const graph = {
      nodes: [node('s', 'data_source', { database: 'flowforge', table: table.table })],
      edges: [],
    };
    const preview = async () => {
      const res = await h.as(tenant).post('/api/v1/preview', { graph, target_node_id: 's' });
      expect(res.status).toBe(200);
      return (await res.json()) as { cache: string; row_count: number };
    };
    expect(await preview()).toMatchObject({ cache: 'miss', row_count: 1 });
    expect(await preview()).toMatchObject({ cache: 'hit', row_count: 1 });

    await table.run(`INSERT INTO ${table.name} VALUES ('MSFT', 2)`);
    // Without a bump the cached answer stands (the 5-minute TTL would be the only way out)…
    expect(await preview()).toMatchObject({ cache: 'hit', row_count: 1 });
    // …a worker's INCR of the table's version makes the next preview run and see the new row.
    await h.node.deps.cache.set(dataVersionKey(table.name), String(Date.now()), 60);
    expect(await preview()).toMatchObject({ cache: 'miss', row_count: 2 });
    expect(await preview()).toMatchObject({ cache: 'hit', row_count: 2 });
  });
});

describe('bumpDataVersions / readDataVersions on the in-memory cache (embedded mode)', () => {
  it('counts up from nothing per table', async () => {
    const cache = new MemoryCache();
    expect(await readDataVersions(cache, ['a.t', 'b.t'])).toEqual({
      versions: { 'a.t': null, 'b.t': null },
      value: null,
    });
    await bumpDataVersions(cache, ['a.t']);
    await bumpDataVersions(cache, ['a.t', 'b.t']);
    expect((await readDataVersions(cache, ['a.t', 'b.t'])).versions).toEqual({ 'a.t': '2', 'b.t': '1' });
  });

  it('reads a value alongside the versions (one MGET on Redis)', async () => {
    const cache = new MemoryCache();
    await cache.set('answer', 'rows', 60);
    await bumpDataVersions(cache, ['a.t']);
    expect(await readDataVersions(cache, ['a.t', 'b.t'], 'answer')).toEqual({
      versions: { 'a.t': '1', 'b.t': null },
      value: 'rows',
    });
    expect(await readDataVersions(cache, [], 'missing')).toEqual({ versions: {}, value: null });
  });
});
