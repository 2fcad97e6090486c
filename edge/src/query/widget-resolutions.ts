import type { Dashboard, MetadataStore, Widget, Workflow } from '../ports/metadata-store.ts';
import type { TenantAcls } from './tenant-acls.ts';

/** What a widget read needs from metadata besides the ACL: the widget, its dashboard (filters, refresh) and workflow. */
export interface ResolvedWidget {
  widget: Widget;
  dashboard: Dashboard | null;
  workflow: Workflow;
}

const MAX_WIDGETS = 10_000;

/**
 * The channels `recordChange` announces a widget, dashboard or workflow change on (`flowforge:<tenant>:widget:<id>`,
 * `…:dashboard:<id>`, `…:workflow:<id>`) → the tenant, else undefined.
 */
export function widgetChangeTenant(channel: string): string | undefined {
  return /^flowforge:(.+):(?:widget|dashboard|workflow):[^:]+$/.exec(channel)?.[1];
}

/**
 * Widgets resolved to their dashboard and workflow, held in this process (a Worker isolate, a Node process) so a
 * cached widget read (a dashboard's or an embed's) costs no metadata round trip. A change of any widget, dashboard or workflow of a tenant drops all
 * of that tenant's entries: at once in the process that made it and, through the bus, wherever the bus can push (the
 * embedded mode); elsewhere (Workers, Node over Upstash REST) `freshMs` bounds how long a change may take to reach a
 * reader. Each tenant has a generation, bumped by every drop and stamped on every read: a read that started before a
 * change and ends after it is answered but never kept, so a change is never undone by a slow read.
 *
 * Revocation is not cached here: the token's API key is read on every request (`verifyEmbedSession`).
 */
export class WidgetResolutions {
  private readonly byWidget = new Map<string, { resolved: ResolvedWidget; at: number }>();
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly freshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** null when the widget or its workflow is gone (a 404 is never cached). */
  async get(store: MetadataStore, tenant: string, widgetId: string): Promise<ResolvedWidget | null> {
    const key = `${tenant}\u0000${widgetId}`;
    const known = this.byWidget.get(key);
    if (known && this.now() - known.at < this.freshMs) return known.resolved;
    const generation = this.generations.get(tenant) ?? 0;
    const started = this.now();
    const widget = await store.getWidget(tenant, widgetId);
    if (!widget) return null;
    const [dashboard, workflow] = await Promise.all([
      widget.dashboardId ? store.getDashboard(tenant, widget.dashboardId) : null,
      store.getWorkflow(tenant, widget.workflowId),
    ]);
    // The FK cascades widget deletion with the workflow, so this only happens in a race with a delete.
    if (!workflow) return null;
    const resolved = { widget, dashboard, workflow };
    if ((this.generations.get(tenant) ?? 0) === generation) this.remember(key, resolved, started);
    return resolved;
  }

  /** After a change of one of the tenant's widgets, dashboards or workflows. */
  forget(tenant: string): void {
    this.generations.set(tenant, (this.generations.get(tenant) ?? 0) + 1);
    const prefix = `${tenant}\u0000`;
    for (const key of this.byWidget.keys()) if (key.startsWith(prefix)) this.byWidget.delete(key);
  }

  private remember(key: string, resolved: ResolvedWidget, at: number): void {
    // Re-inserting keeps the Map in least-recently-read order, so the oldest entry is the first to go.
    this.byWidget.delete(key);
    this.byWidget.set(key, { resolved, at });
    if (this.byWidget.size > MAX_WIDGETS) this.byWidget.delete(this.byWidget.keys().next().value!);
  }
}

/** In-process state widget reads (dashboards and embeds) go through: the tenants' ACLs and the resolved widgets. */
export interface WidgetReadCaches {
  acls: TenantAcls;
  widgets: WidgetResolutions;
}
