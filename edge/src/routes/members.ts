import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import type { Role } from '../env.ts';
import { ApiError } from '../errors.ts';
import { realmOf } from '../middleware/auth/issuers.ts';
import type { Route } from './define.ts';

const ROLES: readonly Role[] = ['admin', 'analyst', 'viewer'];

export const memberOut = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string().nullable(),
  enabled: z.boolean(),
  roles: z.array(z.enum(['viewer', 'analyst', 'admin'])),
});

const unavailable = (why: string) =>
  new ApiError(503, 'identity_provider_unavailable', `Cannot read members from Keycloak: ${why}`);

async function keycloakJson<T>(url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  } catch (err) {
    throw unavailable((err as Error).message);
  }
  if (!res.ok) throw unavailable(`${new URL(url).pathname} answered ${res.status}`);
  return (await res.json()) as T;
}

/**
 * Members and roles as Keycloak reports them (read-only: Keycloak owns users). The service account of the confidential
 * client reads the caller's own realm through Keycloak's admin API.
 */
export function memberRoutes(route: Route, deps: AppDeps): void {
  const { config } = deps;
  route(
    {
      method: 'get',
      path: '/api/v1/members',
      tag: 'admin',
      auth: 'bearer',
      role: 'admin',
      summary: "The tenant's users and their FlowForge roles, from the tenant's Keycloak realm",
      response: { status: 200, description: 'Members', schema: z.object({ members: z.array(memberOut) }) },
    },
    async (c) => {
      const tenant = c.get('principal').tenantId;
      const issuer = config.issuers.find((i) => (i.tenant ?? realmOf(i.issuer)) === tenant)?.issuer;
      if (!issuer)
        throw new ApiError(404, 'not_found', `No Keycloak realm is configured for tenant ${tenant}`);
      if (!config.KEYCLOAK_SERVICE_SECRET) throw unavailable('KEYCLOAK_SERVICE_SECRET is not set');
      const { access_token } = await keycloakJson<{ access_token: string }>(
        `${issuer}/protocol/openid-connect/token`,
        {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: config.KEYCLOAK_SERVICE_CLIENT_ID,
            client_secret: config.KEYCLOAK_SERVICE_SECRET,
          }),
        },
      );
      const admin = issuer.replace(/\/realms\/([^/]+)\/?$/, '/admin/realms/$1');
      const headers = { authorization: `Bearer ${access_token}` };
      type KcUser = { id: string; username: string; email?: string; enabled: boolean };
      const byRole = await Promise.all(
        ROLES.map((role) => keycloakJson<KcUser[]>(`${admin}/roles/${role}/users?max=1000`, { headers })),
      );
      const members = new Map<string, z.infer<typeof memberOut>>();
      byRole.forEach((users, i) => {
        for (const u of users) {
          const m = members.get(u.id) ?? {
            id: u.id,
            username: u.username,
            email: u.email ?? null,
            enabled: u.enabled,
            roles: [],
          };
          m.roles.push(ROLES[i]!);
          members.set(u.id, m);
        }
      });
      return c.json({ members: [...members.values()].sort((a, b) => a.username.localeCompare(b.username)) });
    },
  );
}
