import { html, raw } from 'hono/html';

type Operation = {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** A self-contained page (no CDN: deployments may have no network) rendering the OpenAPI document as readable HTML. */
export function docsPage(spec: { paths: Record<string, Record<string, Operation>> }) {
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  }
  const sections = [...byTag].map(
    ([tag, ops]) =>
      html`<section>
        <h2 id="${tag}">${tag}</h2>
        ${ops.map(({ method, path, op }) => {
          const ok = Object.entries(op.responses).find(([s]) => s !== 'default');
          const body = op.requestBody?.content['application/json']?.schema;
          const okSchema = ok?.[1].content ? Object.values(ok[1].content)[0]?.schema : undefined;
          return html`<details>
            <summary>
              <span class="m ${method}">${method.toUpperCase()}</span> <code>${path}</code> —
              ${op.summary ?? ''}
            </summary>
            ${
              op.parameters?.length
                ? html`<p>
                    Parameters:
                    ${op.parameters.map((p) => html`<code>${p.name}</code> (${p.in}${p.required ? ', required' : ''}) `)}
                  </p>`
                : ''
            }
            ${
              body
                ? html`<h4>Request body</h4>
                    <pre>${pretty(body)}</pre>`
                : ''
            }
            <h4>${ok?.[0] ?? ''} ${ok?.[1].description ?? ''}</h4>
            ${okSchema ? html`<pre>${pretty(okSchema)}</pre>` : ''}
          </details>`;
        })}
      </section>`,
  );
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>FlowForge API</title>
        <style>
          ${raw(`body{font:14px system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1b1f24}
          summary{cursor:pointer;padding:.3rem 0}code{font-size:13px}pre{background:#f4f6f8;padding:.6rem;overflow:auto;font-size:12px}
          .m{display:inline-block;min-width:4.2rem;font-weight:600}.get{color:#0a7}.post{color:#07c}.patch,.put{color:#c80}.delete{color:#c33}`)}
        </style>
      </head>
      <body>
        <h1>FlowForge API</h1>
        <p>
          Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Errors are
          <code>{"error":{"code","message","details"}}</code>.
        </p>
        ${sections}
      </body>
    </html>`;
}
