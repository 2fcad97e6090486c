/** What a developer pastes to embed one widget; the API key goes only into the server-side snippets. */
export interface EmbedSnippets {
  curl: string;
  node: string;
  sdk: string;
  iframe: string;
}

/**
 * Copy-ready snippets for embedding `widgetId` from the FlowForge at `origin`: token minting on the customer's server
 * (curl, Node), the SDK on their page (renews tokens) and a raw iframe (one token, no renewal). The README's "Embed a
 * widget in your app" walks through the same code.
 */
export function embedSnippets(origin: string, widgetId: string, apiKey: string): EmbedSnippets {
  const body = JSON.stringify({ widget_ids: [widgetId], ttl_seconds: 600 });
  return {
    curl: `curl -X POST '${origin}/api/v1/embed/tokens' \\
  -H 'X-API-Key: ${apiKey}' \\
  -H 'content-type: application/json' \\
  -d '${body}'`,
    node: `// On YOUR server (Node 18+), behind your own sign-in: the API key must never reach a browser.
// FLOWFORGE_API_KEY=${apiKey}
export async function flowforgeToken() {
  const res = await fetch('${origin}/api/v1/embed/tokens', {
    method: 'POST',
    headers: { 'X-API-Key': process.env.FLOWFORGE_API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ widget_ids: ['${widgetId}'], ttl_seconds: 600 }),
  });
  if (!res.ok) throw new Error(\`FlowForge token: \${res.status} \${await res.text()}\`);
  return res.json(); // { token, expires_at, widget_ids }: send it to your page, e.g. GET /flowforge-token
}`,
    sdk: `<div id="flowforge-widget" style="width: 100%; height: 400px"></div>
<script type="module">
  import { FlowForge } from '${origin}/embed/sdk.js';
  const widget = FlowForge.embed({
    widgetId: '${widgetId}',
    mount: '#flowforge-widget',
    theme: 'light', // or 'dark'
    // Your server's route returning flowforgeToken(); called again before each token expires.
    fetchToken: () => fetch('/flowforge-token').then((res) => res.json()),
  });
  widget.on('error', (error) => console.warn('FlowForge:', error.code, error.message));
</script>`,
    iframe: `<!-- TOKEN: minted by your server for this page view (at most 15 minutes; only the SDK renews it) -->
<iframe
  src="${origin}/embed/${widgetId}?theme=light#token=TOKEN"
  title="FlowForge widget"
  style="width: 100%; height: 400px; border: 0"
></iframe>`,
  };
}
