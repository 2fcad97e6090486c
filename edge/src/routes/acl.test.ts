import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-support/harness.ts';
import { uniqueTenant } from '../test-support/stack.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('tenant ACLs', () => {
  it("one tenant's ACL never changes another's ACL or catalog", async () => {
    const [a, b] = [uniqueTenant('aa'), uniqueTenant('ab')];
    const put = await h
      .as(a)
      .put('/api/v1/acl', { allowed_symbols: ['AAPL'], allowed_tables: ['flowforge.raw_trades'] });
    expect(await put.json()).toEqual({
      allowed_symbols: ['AAPL'],
      allowed_tables: ['flowforge.raw_trades'],
      version: 1,
    });
    expect(await (await h.as(b).get('/api/v1/acl')).json()).toEqual({
      allowed_symbols: null,
      allowed_tables: null,
      version: 0,
    });
    const tablesOf = async (t: string) =>
      (
        (await (await h.as(t).get('/api/v1/schema')).json()) as {
          tables: { database: string; table: string }[];
        }
      ).tables.map((x) => `${x.database}.${x.table}`);
    expect(await tablesOf(a)).toEqual(['flowforge.raw_trades']);
    expect((await tablesOf(b)).length).toBeGreaterThan(1);
  });

  it('only admins change it', async () => {
    const t = uniqueTenant('ar');
    expect(
      (await h.as(t, 'analyst').put('/api/v1/acl', { allowed_symbols: null, allowed_tables: null })).status,
    ).toBe(403);
    expect((await h.as(t, 'viewer').get('/api/v1/acl')).status).toBe(200);
  });

  it('validates table names', async () => {
    const res = await h
      .as(uniqueTenant('av'))
      .put('/api/v1/acl', { allowed_symbols: null, allowed_tables: ['raw_trades'] });
    expect(res.status).toBe(422);
  });
});

describe('audit log', () => {
  it("lists this tenant's changes only, admins only", async () => {
    const [a, b] = [uniqueTenant('la'), uniqueTenant('lb')];
    await h.as(a).put('/api/v1/acl', { allowed_symbols: ['AAPL'], allowed_tables: null });
    await h.as(a).post('/api/v1/dashboards', { name: 'd' });
    const log = (await (await h.as(a).get('/api/v1/audit')).json()) as {
      entries: { action: string; actor: string }[];
    };
    expect(log.entries.map((e) => e.action)).toEqual(['dashboard.created', 'acl.updated']);
    expect(log.entries[0]!.actor).toBe('user-1');
    expect(await (await h.as(b).get('/api/v1/audit')).json()).toEqual({ entries: [] });
    expect((await h.as(a, 'analyst').get('/api/v1/audit')).status).toBe(403);
  });
});
