import { devPrincipal, verifyAccessToken, type TrustedIssuer } from '@flowforge/edge/auth';
import type { Config } from '@flowforge/edge/config';
import { devAccessRefusal } from '@flowforge/edge/dev-access';
import { verifyEmbedSession } from '@flowforge/edge/embed-auth';
import type { MetadataStore } from '@flowforge/edge/ports/metadata-store';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { FanoutHub } from './hub.ts';

export const DASHBOARD_PATH = /^\/ws\/dashboard\/([A-Za-z0-9-]{1,64})$/;

export interface UpgradeAuthDeps {
  config: Config;
  store: () => MetadataStore;
  /** Token issuers (Keycloak realms) and their keys, as the edge's API trusts them. */
  issuers: readonly TrustedIssuer[];
  /** The embedded mode signs same-origin browsers in as its development tenant, as it does for /api. */
  sameOriginTenant?: string;
}

export interface SocketCaller {
  tenant: string;
  /** Widgets an embed token may see; null = the whole dashboard. */
  widgets: Set<string> | null;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const isSameOrigin = (req: IncomingMessage) => {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
};

/**
 * The edge's credentials on a WebSocket upgrade (browsers cannot set headers on one, so tokens may come as query
 * parameters): an embed token `?token=` (scoped to its widgets), a bearer JWT (`Authorization` or `?access_token=`),
 * the development tenant (`X-Dev-Tenant` or `?dev_tenant=`, only when APP_ENV=development). Browser origins other than
 * the configured CORS origins are refused for user sessions, like the API's.
 */
export async function authenticateUpgrade(
  req: IncomingMessage,
  deps: UpgradeAuthDeps,
): Promise<SocketCaller> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const embedToken = url.searchParams.get('token');
  if (embedToken) {
    const caller = await verifyEmbedSession(deps.store(), deps.config.EMBED_SIGNING_SECRET, embedToken);
    return { tenant: caller.tenantId, widgets: new Set(caller.widgetIds) };
  }
  const origin = req.headers.origin;
  const sameOrigin = isSameOrigin(req);
  if (origin && !sameOrigin && !deps.config.corsOrigins.includes(origin))
    throw new Refusal(403, 'forbidden_origin', `Origin ${origin} is not allowed`);
  const bearer =
    /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? url.searchParams.get('access_token');
  if (bearer) {
    const principal = await verifyAccessToken(bearer, {
      issuers: deps.issuers,
      audience: deps.config.JWT_AUDIENCE,
    });
    return { tenant: principal.tenantId, widgets: null };
  }
  const header = req.headers['x-dev-tenant'];
  const dev = (typeof header === 'string' ? header : undefined) ?? url.searchParams.get('dev_tenant');
  if (dev !== null && dev !== undefined) {
    if (deps.config.APP_ENV !== 'development')
      throw new Refusal(401, 'unauthenticated', 'X-Dev-Tenant is only accepted when APP_ENV=development');
    // The API's development sign-in rules: a Host we serve, and a request from one of our own pages.
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string') headers.set(name, value);
    const refusal = devAccessRefusal(
      new Request(`http://${req.headers.host ?? 'localhost'}${url.pathname}`, { headers }),
      {
        hosts: deps.config.devHosts,
        origins: deps.config.corsOrigins,
      },
    );
    if (refusal) throw new Refusal(401, 'unauthenticated', refusal);
    return { tenant: devPrincipal(dev).tenantId, widgets: null };
  }
  if (deps.sameOriginTenant && sameOrigin) return { tenant: deps.sameOriginTenant, widgets: null };
  throw new Refusal(401, 'unauthenticated', 'A bearer token, an embed token or X-Dev-Tenant is required');
}

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message, details: {} } });
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Handles `upgrade` events for `/ws/dashboard/:id`: authenticate, check the dashboard belongs to the caller's tenant
 * (another tenant's id answers 404), then hand the socket to the hub. Returns false for other paths.
 */
export function dashboardUpgradeHandler(hub: FanoutHub, deps: UpgradeAuthDeps) {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const handle = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const match = DASHBOARD_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!match) return false;
    const dashboardId = match[1]!;
    void (async () => {
      try {
        const caller = await authenticateUpgrade(req, deps);
        if (!(await deps.store().getDashboard(caller.tenant, dashboardId)))
          throw new Refusal(404, 'not_found', 'Dashboard not found');
        sockets.handleUpgrade(req, socket, head, (ws) => {
          // Clients only listen; anything they send is ignored (ws still answers pings).
          ws.on('message', () => {});
          void hub.join(caller.tenant, dashboardId, ws, caller.widgets);
        });
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (error instanceof Refusal || (status && status >= 400 && status < 600)) {
          const e = error as Refusal;
          refuse(socket, e.status, e.code ?? 'unauthenticated', e.message);
        } else {
          console.error('fanout: upgrade failed', error);
          refuse(socket, 503, 'unavailable', 'The fan-out cannot check this request right now');
        }
      }
    })();
    return true;
  };
  return Object.assign(handle, { close: () => sockets.close() });
}
