import type { CatalogSource, CatalogTable, SchemaCatalog } from '../ports/schema-catalog.ts';

export interface RefreshingCatalogOptions {
  /** Plan §11: discovery every 60 s. */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * Discovered tables of every source, re-discovered when older than `maxAgeMs` on the next read. Lazy refresh works the
 * same in a Worker isolate (no timers between requests) and on Node. A source that fails keeps its last good tables.
 */
export class RefreshingCatalog implements SchemaCatalog {
  private readonly bySource = new Map<string, CatalogTable[]>();
  /**
   * The tables handed out per ACL (key: the sorted allowed tables, '*' for all) since the last discovery: the same
   * array for every request, so the compiler's per-array catalog parse happens once per ACL and discovery.
   */
  private readonly views = new Map<string, CatalogTable[]>();
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    readonly sources: CatalogSource[],
    options: RefreshingCatalogOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  refresh(): Promise<void> {
    // Concurrent readers share one discovery round instead of stampeding the stores.
    this.inflight ??= (async () => {
      try {
        const results = await Promise.allSettled(this.sources.map((s) => s.discover()));
        results.forEach((r, i) => {
          const source = this.sources[i]!;
          if (r.status === 'fulfilled') this.bySource.set(source.store, r.value);
          else console.error(`catalog: ${source.store} discovery failed`, r.reason);
        });
        this.views.clear();
        this.refreshedAt = this.now();
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  async tables(allowedTables: string[] | null): Promise<CatalogTable[]> {
    if (this.now() - this.refreshedAt >= this.maxAgeMs) await this.refresh();
    const key = allowedTables === null ? '*' : JSON.stringify([...allowedTables].sort());
    let view = this.views.get(key);
    if (!view) {
      const all = [...this.bySource.values()].flat();
      const allowed = allowedTables && new Set(allowedTables);
      view = allowed ? all.filter((t) => allowed.has(`${t.database}.${t.table}`)) : all;
      this.views.set(key, view);
    }
    return view;
  }
}
