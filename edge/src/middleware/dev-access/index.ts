/**
 * Who may use a development sign-in (`X-Dev-Tenant`, and the embedded mode's automatic login). Any web page can reach a
 * loopback server: DNS rebinding puts the attacker's host name in `Host`, and simple cross-site requests (text/plain,
 * forms) need no CORS preflight. So a development sign-in needs both a Host we serve and a request the browser marks as
 * coming from one of our own pages.
 */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

export interface DevAccess {
  /** Host header values served: `name` (any port) or `name:port`. */
  hosts: readonly string[];
  /** Origins whose pages may use the sign-in besides the request's own (e.g. the Vite dev server). */
  origins: readonly string[];
}

const PORT = /:\d+$/;
const normalise = (host: string) => new URL(`http://${host}`).host;

/** Whether `host` (as in a URL: lower case, default port dropped) is one of `hosts`. */
export function hostAllowed(host: string, hosts: readonly string[]): boolean {
  return hosts.some((entry) => {
    const wanted = normalise(entry);
    return PORT.test(entry) ? wanted === host : wanted === host.replace(PORT, '');
  });
}

/**
 * Same-origin by the browser's own account: `Sec-Fetch-Site` (sent by every current browser) must not say the request
 * came from another site, and an `Origin` (sent on every cross-origin and every non-GET request) must be one of ours.
 * Requests with neither header come from non-browser clients (curl, scripts), which no web page can forge.
 */
export function fromOwnPage(request: Request, origins: readonly string[]): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.get('origin');
  return origin === null || origin === new URL(request.url).origin || origins.includes(origin);
}

/** Why a development sign-in is refused for this request, or undefined when it is allowed. */
export function devAccessRefusal(request: Request, access: DevAccess): string | undefined {
  const { host } = new URL(request.url);
  if (!hostAllowed(host, access.hosts))
    return `Development sign-in is only served on ${access.hosts.join(', ')}, not Host "${host}"`;
  if (!fromOwnPage(request, access.origins))
    return "Development sign-in is only accepted from the app's own pages (same origin)";
  return undefined;
}
