import type { Context } from 'hono';
import type { AppDeps } from '../deps.ts';
import type { AppEnv } from '../env.ts';
import type { NewAuditEntry } from '../ports/metadata-store.ts';

/**
 * After a successful write: the audit row and the invalidation message. Neither may fail the user's request once the
 * write itself succeeded, so errors are reported to the log and swallowed.
 */
export async function recordChange(
  c: Context<AppEnv>,
  deps: AppDeps,
  entry: Omit<NewAuditEntry, 'actor'>,
  channel?: string,
): Promise<void> {
  const tenant = c.get('principal').tenantId;
  const jobs: Promise<unknown>[] = [
    c.get('metadata').appendAudit(tenant, { ...entry, actor: c.get('principal').sub }),
  ];
  if (channel) {
    const message = JSON.stringify({ type: entry.action, id: entry.targetId, at: new Date().toISOString() });
    jobs.push(deps.bus.publish(`flowforge:${tenant}:${channel}`, message));
  }
  for (const r of await Promise.allSettled(jobs)) {
    if (r.status === 'rejected') console.error('side effect failed', entry.action, r.reason);
  }
}
