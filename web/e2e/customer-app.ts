import { createServer, type Server } from 'node:http';
import { freePort } from '../../scripts/stack-lib/free-port.ts';

/**
 * A customer's web app on its own origin, as the README tells a developer to build one: a page that imports the SDK
 * from FlowForge and a backend that mints embed tokens with an API key it keeps to itself.
 *
 * - `GET /?widget=<id>&key=<name>[&ttl=30][&lock=AAPL,MSFT][&symbols=MSFT][&theme=dark]`: a page embedding the widget
 *   through `FlowForge.embed`; SDK events are collected in `window.embedEvents`.
 * - `GET /token?widget=…&key=…[&ttl][&lock]`: the backend's token route (`POST /api/v1/embed/tokens` with X-API-Key).
 * - `GET /raw?src=<url>`: a raw `<iframe src>` (the snippet without the SDK).
 */
export interface CustomerApp {
  origin: string;
  /** API keys by the name pages ask for; they stay in this (server) process. */
  keys: Map<string, string>;
  /** Tokens minted so far, per key name. */
  mints: Map<string, number>;
  close(): Promise<void>;
}

const page = (flowforge: string) => `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Customer app</title></head>
  <body style="margin:0;font-family:sans-serif;background:#f4f4f5">
    <h1 style="font-size:16px;margin:12px">Customer portfolio</h1>
    <div id="chart" style="width:760px;height:380px;margin:12px;background:#fff"></div>
    <script type="module">
      import { FlowForge } from '${flowforge}/embed/sdk.js';
      const params = new URLSearchParams(location.search);
      window.embedEvents = [];
      const symbols = params.get('symbols');
      const widget = FlowForge.embed({
        widgetId: params.get('widget'),
        mount: '#chart',
        theme: params.get('theme') || 'light',
        ...(symbols ? { filters: { symbols: symbols.split(',') } } : {}),
        fetchToken: () => fetch('/token?' + params).then((res) => res.json()),
      });
      for (const type of ['ready', 'error', 'expired'])
        widget.on(type, (detail) => window.embedEvents.push({ type, ...(detail || {}) }));
    </script>
  </body>
</html>`;

export async function startCustomerApp(flowforge: string): Promise<CustomerApp> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const keys = new Map<string, string>();
  const mints = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (url.pathname === '/') return send(200, 'text/html', page(flowforge));
    if (url.pathname === '/raw')
      return send(
        200,
        'text/html',
        `<!doctype html><iframe src="${(url.searchParams.get('src') ?? '').replaceAll('"', '&quot;')}" style="width:760px;height:380px;border:0"></iframe>`,
      );
    if (url.pathname === '/token') {
      const name = url.searchParams.get('key') ?? '';
      const apiKey = keys.get(name);
      if (!apiKey) return send(404, 'application/json', '{"error":"unknown key"}');
      const lock = url.searchParams.get('lock');
      const body = {
        widget_ids: [url.searchParams.get('widget')],
        ttl_seconds: Number(url.searchParams.get('ttl') ?? 600),
        ...(lock ? { locked_filters: { symbols: lock.split(',') } } : {}),
      };
      void fetch(`${flowforge}/api/v1/embed/tokens`, {
        method: 'POST',
        headers: { 'X-API-Key': apiKey, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (minted) => {
        if (minted.ok) mints.set(name, (mints.get(name) ?? 0) + 1);
        send(minted.status, 'application/json', await minted.text());
      });
      return;
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin,
    keys,
    mints,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
