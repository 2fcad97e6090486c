import { MetadataUnavailable, type MetadataStore, type TenantAcl } from '../ports/metadata-store.ts';

/** How long a tenant's last-read ACL may stand in for PostgreSQL while it is down (query routes only). */
export const ACL_FALLBACK_SECONDS = 60;
const MAX_TENANTS = 10_000;

/** The channel `recordChange` announces an ACL change on (`flowforge:<tenant>:acl`) → the tenant, else undefined. */
export function aclChangeTenant(channel: string): string | undefined {
  const match = /^flowforge:(.+):acl$/.exec(channel);
  return match?.[1];
}

/**
 * The query routes' tenant ACLs, held in this process so a cached preview costs no metadata round trip. An entry is
 * used for `freshMs` (ACL_CACHE_SECONDS) after its read; an ACL change drops it at once in the process that made it
 * and, through the bus, in every process that subscribes there (the embedded mode; Workers and Node over Upstash REST
 * cannot subscribe, so for them `freshMs` bounds how long a narrowed ACL may lag). The ACL's version is in every
 * preview cache key, so a re-read ACL never meets an answer cached under its predecessor.
 *
 * While PostgreSQL is unreachable, the ACL read at most ACL_FALLBACK_SECONDS ago stands in, so previews keep working —
 * from the cache or the engine — through a short outage.
 */
export class TenantAcls {
  private readonly byTenant = new Map<string, { acl: TenantAcl; at: number }>();

  constructor(
    private readonly freshMs: number,
    private readonly fallbackMs = ACL_FALLBACK_SECONDS * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(store: MetadataStore, tenant: string): Promise<TenantAcl> {
    const known = this.byTenant.get(tenant);
    if (known && this.now() - known.at < this.freshMs) return known.acl;
    try {
      const acl = await store.getAcl(tenant);
      this.remember(tenant, acl);
      return acl;
    } catch (err) {
      const recent = this.byTenant.get(tenant);
      if (err instanceof MetadataUnavailable && recent && this.now() - recent.at <= this.fallbackMs)
        return recent.acl;
      throw err;
    }
  }

  /** After a change: the next read goes to the store, and the outdated ACL never stands in during an outage. */
  forget(tenant: string): void {
    this.byTenant.delete(tenant);
  }

  private remember(tenant: string, acl: TenantAcl): void {
    // Re-inserting keeps the Map in least-recently-read order, so the oldest entry is the first to go.
    this.byTenant.delete(tenant);
    this.byTenant.set(tenant, { acl, at: this.now() });
    if (this.byTenant.size > MAX_TENANTS) this.byTenant.delete(this.byTenant.keys().next().value!);
  }
}
