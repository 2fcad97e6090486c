import { describe, expect, it } from 'vitest';
import { MetadataUnavailable, type MetadataStore, type TenantAcl } from '../ports/metadata-store.ts';
import { aclChangeTenant, TenantAcls } from './tenant-acls.ts';

/** A store whose ACL reads are counted and can be made to fail like an unreachable PostgreSQL. */
function fakeStore() {
  let version = 1;
  let down = false;
  const state = { reads: 0 };
  const store = {
    async getAcl(): Promise<TenantAcl> {
      state.reads++;
      if (down) throw new MetadataUnavailable(new Error('connection refused'));
      return { allowedSymbols: null, allowedTables: null, version };
    },
  } as unknown as MetadataStore;
  return { store, state, bump: () => version++, setDown: (d: boolean) => (down = d) };
}

describe('TenantAcls', () => {
  it('answers from this process for freshMs, then reads the store again', async () => {
    let now = 0;
    const acls = new TenantAcls(5_000, 60_000, () => now);
    const { store, state, bump } = fakeStore();
    expect((await acls.get(store, 't')).version).toBe(1);
    bump();
    now = 4_999;
    expect((await acls.get(store, 't')).version).toBe(1);
    expect(state.reads).toBe(1);
    now = 5_000;
    expect((await acls.get(store, 't')).version).toBe(2);
    expect(state.reads).toBe(2);
  });

  it('reads the store right after forget (an ACL change), and the old ACL never stands in for an outage', async () => {
    const acls = new TenantAcls(5_000, 60_000, () => 0);
    const { store, state, bump, setDown } = fakeStore();
    await acls.get(store, 't');
    bump();
    acls.forget('t');
    expect((await acls.get(store, 't')).version).toBe(2);
    expect(state.reads).toBe(2);
    acls.forget('t');
    setDown(true);
    await expect(acls.get(store, 't')).rejects.toBeInstanceOf(MetadataUnavailable);
  });

  it('lets an ACL read ≤ 60 s ago stand in while PostgreSQL is down, not an older one', async () => {
    let now = 0;
    const acls = new TenantAcls(5_000, 60_000, () => now);
    const { store, setDown } = fakeStore();
    await acls.get(store, 't');
    setDown(true);
    now = 60_000;
    expect((await acls.get(store, 't')).version).toBe(1);
    now = 60_001;
    await expect(acls.get(store, 't')).rejects.toBeInstanceOf(MetadataUnavailable);
  });

  it('finds the tenant in the channel an ACL change is published on', () => {
    expect(aclChangeTenant('flowforge:firm-alpha:acl')).toBe('firm-alpha');
    expect(aclChangeTenant('flowforge:a:b:acl')).toBe('a:b');
    expect(aclChangeTenant('flowforge:firm-alpha:workflows')).toBeUndefined();
    expect(aclChangeTenant('flowforge:market:symbol:AAPL')).toBeUndefined();
  });
});
