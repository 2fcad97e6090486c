import { expect, it } from 'vitest';
import type { TenantClients } from './harness.ts';
import { uniqueTenant } from './stack.ts';

export interface TenantScopedResource {
  /** Collection path, e.g. `/api/v1/workflows`. */
  path: string;
  /** Key of the list in the collection's JSON answer. */
  listKey: string;
  /** A valid create body for this tenant (may create prerequisites first). */
  createBody(h: TenantClients, tenant: string): Promise<Record<string, unknown>>;
  patchBody?: Record<string, unknown>;
  /** Methods that mutate one item; defaults to PATCH. */
  updateMethod?: 'patch' | 'put';
  /** DELETE revokes instead of removing (API keys): the row stays readable with `revoked_at` set. */
  softDelete?: boolean;
  /** Sub-paths of one item that must 404 for another tenant too, e.g. `/versions`. */
  itemSubPaths?: { method: 'get' | 'post'; suffix: string }[];
}

/**
 * The plan's multi-tenancy checks (§ tests: list, get 404, create ignores the body's tenant_id, update 404, delete
 * 404) for one tenant-scoped resource. Cross-tenant references and cache isolation live with the routes they concern.
 */
export function tenancySuite(getHarness: () => TenantClients, r: TenantScopedResource): void {
  const setup = async () => {
    const h = getHarness();
    const a = uniqueTenant('ta');
    const b = uniqueTenant('tb');
    const created = await h.as(a).post(r.path, { ...(await r.createBody(h, a)), tenant_id: b });
    expect(created.status).toBe(201);
    return { h, a, b, item: (await created.json()) as { id: string } };
  };

  it('list shows only the caller tenant', async () => {
    const { h, a, b, item } = await setup();
    await h.as(b).post(r.path, await r.createBody(h, b));
    const listA = (await (await h.as(a).get(r.path)).json()) as Record<string, { id: string }[]>;
    const listB = (await (await h.as(b).get(r.path)).json()) as Record<string, { id: string }[]>;
    expect(listA[r.listKey]!.map((x) => x.id)).toEqual([item.id]);
    expect(listB[r.listKey]!.map((x) => x.id)).not.toContain(item.id);
    expect(listB[r.listKey]).toHaveLength(1);
  });

  it('get of another tenant id answers 404, not 403', async () => {
    const { h, a, b, item } = await setup();
    expect((await h.as(a).get(`${r.path}/${item.id}`)).status).toBe(200);
    const res = await h.as(b).get(`${r.path}/${item.id}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('create takes the tenant from the token, not from the body', async () => {
    const { h, b, item } = await setup();
    // The body said tenant b; b must not see it.
    expect((await h.as(b).get(`${r.path}/${item.id}`)).status).toBe(404);
  });

  if (r.patchBody) {
    const patchBody = r.patchBody;
    it('update of another tenant id answers 404 and changes nothing', async () => {
      const { h, a, b, item } = await setup();
      const before = await (await h.as(a).get(`${r.path}/${item.id}`)).json();
      const client = h.as(b);
      const res =
        r.updateMethod === 'put'
          ? await client.put(`${r.path}/${item.id}`, patchBody)
          : await client.patch(`${r.path}/${item.id}`, patchBody);
      expect(res.status).toBe(404);
      expect(await (await h.as(a).get(`${r.path}/${item.id}`)).json()).toEqual(before);
    });
  }

  it('delete of another tenant id answers 404 and keeps the row', async () => {
    const { h, a, b, item } = await setup();
    expect((await h.as(b).delete(`${r.path}/${item.id}`)).status).toBe(404);
    expect((await h.as(a).get(`${r.path}/${item.id}`)).status).toBe(200);
    expect((await h.as(a).delete(`${r.path}/${item.id}`)).status).toBe(204);
    const after = await h.as(a).get(`${r.path}/${item.id}`);
    if (r.softDelete)
      expect(((await after.json()) as { revoked_at: string | null }).revoked_at).not.toBeNull();
    else expect(after.status).toBe(404);
  });

  for (const sub of r.itemSubPaths ?? []) {
    it(`${sub.method.toUpperCase()} ${sub.suffix} of another tenant id answers 404`, async () => {
      const { h, b, item } = await setup();
      const client = h.as(b);
      const res =
        sub.method === 'get'
          ? await client.get(`${r.path}/${item.id}${sub.suffix}`)
          : await client.post(`${r.path}/${item.id}${sub.suffix}`);
      expect(res.status).toBe(404);
    });
  }

  it('a malformed id answers 404', async () => {
    const { h, a } = await setup();
    expect((await h.as(a).get(`${r.path}/not-a-uuid`)).status).toBe(404);
  });
}
