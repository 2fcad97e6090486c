import { MetadataUnavailable, type MetadataStore, type TenantAcl } from '../ports/metadata-store.ts';

/** How long a tenant's last-read ACL may stand in for PostgreSQL while it is down (query routes only). */
export const ACL_FALLBACK_SECONDS = 60;
const MAX_TENANTS = 10_000;

/**
 * The query routes' ACL reads. Every read goes to the store; only when the store is unreachable does the ACL read at
 * most ACL_FALLBACK_SECONDS ago (in this process) stand in, so previews keep working — from the cache or the engine —
 * through a short PostgreSQL outage. A narrowed ACL is therefore at most that old during an outage, never otherwise.
 */
export class RecentAcls {
  private readonly byTenant = new Map<string, { acl: TenantAcl; at: number }>();

  constructor(
    private readonly maxAgeMs = ACL_FALLBACK_SECONDS * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(store: MetadataStore, tenant: string): Promise<TenantAcl> {
    try {
      const acl = await store.getAcl(tenant);
      this.remember(tenant, acl);
      return acl;
    } catch (err) {
      const recent = this.byTenant.get(tenant);
      if (err instanceof MetadataUnavailable && recent && this.now() - recent.at <= this.maxAgeMs)
        return recent.acl;
      throw err;
    }
  }

  private remember(tenant: string, acl: TenantAcl): void {
    // Re-inserting keeps the Map in least-recently-read order, so the oldest entry is the first to go.
    this.byTenant.delete(tenant);
    this.byTenant.set(tenant, { acl, at: this.now() });
    if (this.byTenant.size > MAX_TENANTS) this.byTenant.delete(this.byTenant.keys().next().value!);
  }
}
