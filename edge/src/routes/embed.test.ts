import { SignJWT } from 'jose';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryAssets } from '../adapters/assets/directory.ts';
import { createApp } from '../app.ts';
import { edge, node, totalsGraph, tradesGraph } from '../test-support/graphs.ts';
import { startHarness, type Harness } from '../test-support/harness.ts';
import { uniqueTenant } from '../test-support/stack.ts';
import { tenancySuite } from '../test-support/tenancy.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type Key = { id: string; key: string; prefix: string };

async function widget(tenant: string, graph: unknown = tradesGraph(), output = 'sel'): Promise<string> {
  const wf = await h.as(tenant).post('/api/v1/workflows', { name: 'w', graph });
  const { id: workflowId } = (await wf.json()) as { id: string };
  const res = await h
    .as(tenant)
    .post('/api/v1/widgets', { workflow_id: workflowId, output_node_id: output, widget_type: 'table' });
  return ((await res.json()) as { id: string }).id;
}

async function apiKey(
  tenant: string,
  widgetIds: string[],
  extra: Record<string, unknown> = {},
): Promise<Key> {
  const res = await h
    .as(tenant)
    .post('/api/v1/api-keys', { name: 'customer', widget_ids: widgetIds, ...extra });
  expect(res.status).toBe(201);
  return (await res.json()) as Key;
}

const embed = (path: string, headers: Record<string, string>) => h.app.request(path, { headers });
const withKey = (key: string) => ({ 'X-API-Key': key });
const withToken = (token: string) => ({ authorization: `Bearer ${token}` });

async function mintToken(key: string, body: Record<string, unknown> = {}) {
  const res = await h.app.request('/api/v1/embed/tokens', {
    method: 'POST',
    headers: { ...withKey(key), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      token: string;
      expires_at: string;
      widget_ids: string[];
      error?: { code: string };
    },
  };
}

describe('api keys: multi-tenancy', () => {
  tenancySuite(() => h, {
    path: '/api/v1/api-keys',
    listKey: 'api_keys',
    createBody: async (_h, tenant) => ({ name: 'k', widget_ids: [await widget(tenant)] }),
    softDelete: true,
  });
});

describe('api keys', () => {
  it('returns ff_live_… once, lists the prefix only, stores SHA-256', async () => {
    const t = uniqueTenant('ak');
    const created = await apiKey(t, [await widget(t)]);
    expect(created.key).toMatch(/^ff_live_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    const listed = (await (await h.as(t).get('/api/v1/api-keys')).json()) as {
      api_keys: Record<string, unknown>[];
    };
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(listed.api_keys[0]).toMatchObject({ id: created.id, prefix: created.prefix });
    const stored = await h.node.sql.query<{ key_hash: string }>(
      'SELECT key_hash FROM api_keys WHERE id = $1',
      [created.id],
    );
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(created.key));
    expect(stored[0]!.key_hash).toBe(Buffer.from(digest).toString('hex'));
  });

  it('are admin-only', async () => {
    const t = uniqueTenant('ak');
    expect((await h.as(t, 'analyst').get('/api/v1/api-keys')).status).toBe(403);
  });

  it("refuses to scope a key to another tenant's widget", async () => {
    const [a, b] = [uniqueTenant('ka'), uniqueTenant('kb')];
    const res = await h.as(a).post('/api/v1/api-keys', { name: 'k', widget_ids: [await widget(b)] });
    expect(res.status).toBe(400);
  });
});

describe('embed', () => {
  it('exchanges a key for a ≤15 min token that reads the widget with CSP frame-ancestors', async () => {
    const t = uniqueTenant('em');
    const w = await widget(t);
    const key = await apiKey(t, [w], {
      allowed_origins: ['https://customer.example', 'http://localhost:3000'],
    });
    const { status, body } = await mintToken(key.key, { ttl_seconds: 900 });
    expect(status).toBe(201);
    expect(body.widget_ids).toEqual([w]);
    expect(Date.parse(body.expires_at) - Date.now()).toBeLessThanOrEqual(900_000);

    const meta = await embed(`/api/v1/embed/widgets/${w}`, withToken(body.token));
    expect(meta.status).toBe(200);
    expect(meta.headers.get('content-security-policy')).toBe(
      'frame-ancestors https://customer.example http://localhost:3000',
    );
    expect(await meta.json()).toMatchObject({
      id: w,
      widget_type: 'table',
      refresh_seconds: 0,
      allowed_origins: ['https://customer.example', 'http://localhost:3000'],
    });
    const data = await embed(`/api/v1/embed/widgets/${w}/data?limit=3`, withToken(body.token));
    expect(data.status).toBe(200);
    expect(((await data.json()) as { rows: unknown[] }).rows).toHaveLength(3);
    // Never in the query string, where logs and proxies would keep it.
    const inUrl = await embed(`/api/v1/embed/widgets/${w}/data?limit=1&token=${body.token}`, {});
    expect(inUrl.status).toBe(401);
    expect(await inUrl.json()).toMatchObject({
      error: {
        code: 'unauthenticated',
        message: 'X-API-Key or an embed token (Authorization: Bearer) required',
      },
    });
  });

  it('a token cannot be longer-lived than 15 minutes', async () => {
    const t = uniqueTenant('em');
    const key = await apiKey(t, [await widget(t)]);
    expect((await mintToken(key.key, { ttl_seconds: 901 })).status).toBe(422);
  });

  it('a key without allowed origins may not be framed', async () => {
    const t = uniqueTenant('em');
    const w = await widget(t);
    const key = await apiKey(t, [w]);
    const res = await embed(`/api/v1/embed/widgets/${w}`, withKey(key.key));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
  });

  it('refuses a wrong key', async () => {
    const t = uniqueTenant('em');
    const w = await widget(t);
    await apiKey(t, [w]);
    for (const key of ['ff_live_' + 'A'.repeat(43), 'nonsense']) {
      const res = await embed(`/api/v1/embed/widgets/${w}/data`, withKey(key));
      expect(res.status).toBe(401);
    }
    expect((await mintToken('ff_live_wrong')).status).toBe(401);
  });

  it('revoking a key kills the key and every token minted from it', async () => {
    const t = uniqueTenant('em');
    const w = await widget(t);
    const key = await apiKey(t, [w]);
    const { body } = await mintToken(key.key);
    expect((await embed(`/api/v1/embed/widgets/${w}/data?limit=1`, withToken(body.token))).status).toBe(200);
    expect((await h.as(t).delete(`/api/v1/api-keys/${key.id}`)).status).toBe(204);
    const viaToken = await embed(`/api/v1/embed/widgets/${w}/data?limit=1`, withToken(body.token));
    expect(viaToken.status).toBe(401);
    // The embed page tells "revoked" from "expired" by the reason, not the text.
    expect(await viaToken.json()).toMatchObject({
      error: { message: expect.stringMatching(/revoked/), details: { reason: 'key_revoked' } },
    });
    expect((await embed(`/api/v1/embed/widgets/${w}/data?limit=1`, withKey(key.key))).status).toBe(401);
    expect((await mintToken(key.key)).status).toBe(401);
  });

  it('refuses an expired key and an expired token', async () => {
    const t = uniqueTenant('em');
    const w = await widget(t);
    const soon = new Date(Date.now() + 1500).toISOString();
    const key = await apiKey(t, [w], { expires_at: soon });
    const { body } = await mintToken(key.key);
    const expired = await new SignJWT({ tid: t, wid: [w], flt: {} })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('flowforge')
      .setAudience('flowforge-embed')
      .setSubject(key.id)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(h.config.EMBED_SIGNING_SECRET));
    const res = await embed(`/api/v1/embed/widgets/${w}`, withToken(expired));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { message: expect.stringMatching(/expired/), details: { reason: 'token_expired' } },
    });

    await new Promise((r) => setTimeout(r, 1600));
    const keyExpired = await embed(`/api/v1/embed/widgets/${w}`, withKey(key.key));
    expect(keyExpired.status).toBe(401);
    expect(await keyExpired.json()).toMatchObject({ error: { details: { reason: 'key_expired' } } });
    expect((await embed(`/api/v1/embed/widgets/${w}`, withToken(body.token))).status).toBe(401);
  });

  it('refuses a widget outside the key or token scope', async () => {
    const t = uniqueTenant('em');
    const [w1, w2] = [await widget(t), await widget(t)];
    const key = await apiKey(t, [w1]);
    expect((await embed(`/api/v1/embed/widgets/${w2}`, withKey(key.key))).status).toBe(403);
    expect((await mintToken(key.key, { widget_ids: [w2] })).status).toBe(403);

    const both = await apiKey(t, [w1, w2]);
    const { body } = await mintToken(both.key, { widget_ids: [w1] });
    const res = await embed(`/api/v1/embed/widgets/${w2}/data`, withToken(body.token));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'widget_out_of_scope' } });
  });

  it("never reaches another tenant's widget", async () => {
    const [a, b] = [uniqueTenant('ea'), uniqueTenant('eb')];
    const wa = await widget(a);
    const wb = await widget(b);
    const keyA = await apiKey(a, [wa]);
    // Neither the key nor a token forged to name tenant b gets there.
    expect((await embed(`/api/v1/embed/widgets/${wb}`, withKey(keyA.key))).status).toBe(403);
    const forged = await new SignJWT({ tid: b, wid: [wb], flt: {} })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('flowforge')
      .setAudience('flowforge-embed')
      .setSubject(keyA.id)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(h.config.EMBED_SIGNING_SECRET));
    expect((await embed(`/api/v1/embed/widgets/${wb}`, withToken(forged))).status).toBe(401);
  });

  it('refuses a token with a tampered payload or a foreign signature', async () => {
    const t = uniqueTenant('em');
    const [w1, w2] = [await widget(t), await widget(t)];
    const key = await apiKey(t, [w1, w2]);
    const { body } = await mintToken(key.key, { widget_ids: [w1], locked_filters: { symbols: ['AAPL'] } });
    const [head, payload, sig] = body.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const widened = Buffer.from(JSON.stringify({ ...claims, wid: [w1, w2], flt: {} })).toString('base64url');
    const tampered = await embed(`/api/v1/embed/widgets/${w2}`, withToken(`${head}.${widened}.${sig}`));
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { error: { message: string } }).error.message).toMatch(/signature/);

    const foreign = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(48)));
    expect((await embed(`/api/v1/embed/widgets/${w1}`, withToken(foreign))).status).toBe(401);
    // An OIDC access token is not an embed token either.
    expect((await embed(`/api/v1/embed/widgets/${w1}`, withToken(await h.jwks.token(t)))).status).toBe(401);
  });

  it('locked filters hold: a query parameter may narrow them but never widen them', async () => {
    const t = uniqueTenant('el');
    const w = await widget(t);
    const key = await apiKey(t, [w]);
    const { body } = await mintToken(key.key, { locked_filters: { symbols: ['AAPL', 'MSFT'] } });
    type Data = { rows: unknown[][]; filters: { symbols?: string[] } };
    const locked = (await (
      await embed(`/api/v1/embed/widgets/${w}/data?limit=1000`, withToken(body.token))
    ).json()) as Data;
    expect(new Set(locked.rows.map((r) => r[2]))).toEqual(new Set(['AAPL', 'MSFT']));

    const narrowed = (await (
      await embed(`/api/v1/embed/widgets/${w}/data?symbols=MSFT`, withToken(body.token))
    ).json()) as Data;
    expect(new Set(narrowed.rows.map((r) => r[2]))).toEqual(new Set(['MSFT']));

    const widened = await embed(`/api/v1/embed/widgets/${w}/data?symbols=AAPL,TSLA`, withToken(body.token));
    expect(widened.status).toBe(403);
    expect(await widened.json()).toMatchObject({ error: { code: 'filter_locked' } });
  });

  it('locks hold at the scan: a count per side (no symbol or time column left) covers only the locked rows', async () => {
    const t = uniqueTenant('es');
    const sides = {
      nodes: [
        ...tradesGraph().nodes.slice(0, 2),
        node('grp', 'group_by', { group_by: ['side'], aggregations: [{ function: 'count', column: '*' }] }),
      ],
      edges: [edge('src', 'flt'), edge('flt', 'grp')],
    };
    const w = await widget(t, sides, 'grp');
    const key = await apiKey(t, [w]);
    const total = async (locked_filters: Record<string, unknown>) => {
      const { body } = await mintToken(key.key, { locked_filters });
      const res = await embed(`/api/v1/embed/widgets/${w}/data`, withToken(body.token));
      expect(res.status).toBe(200);
      const data = (await res.json()) as { rows: [string, number][] };
      return data.rows.reduce((sum, [, n]) => sum + Number(n), 0);
    };
    // 60 seeded trades per symbol over 3 days (20 a day), 4 symbols.
    expect(await total({})).toBe(240);
    expect(await total({ symbols: ['AAPL'] })).toBe(60);
    expect(
      await total({ symbols: ['AAPL', 'MSFT'], date_from: '2026-01-06', date_to: '2026-01-06T23:59:59' }),
    ).toBe(40);
    const unlocked = await embed(`/api/v1/embed/widgets/${w}/data`, withKey(key.key));
    expect(((await unlocked.json()) as { rows: unknown[] }).rows).toHaveLength(2);
  });

  it('refuses a token whose lock no scanned table can carry (403 with the reason), instead of failing open', async () => {
    const t = uniqueTenant('en');
    // flowforge.edge_test_wide (seeded view) has one column `n`: no symbol, no time.
    const numbers = {
      nodes: [
        node('src', 'data_source', { database: 'flowforge', table: 'edge_test_wide' }),
        node('flt', 'filter', { logic: 'AND', conditions: [{ column: 'n', op: '<', value: 3 }] }),
      ],
      edges: [edge('src', 'flt')],
    };
    const w = await widget(t, numbers, 'flt');
    const key = await apiKey(t, [w]);
    for (const [locked_filters, reason] of [
      [{ symbols: ['AAPL'] }, /locks symbols, but no table it reads has a symbol column/],
      [{ date_to: '2026-01-06' }, /locks dates, but no table it reads has a date or time column/],
    ] as const) {
      const { body } = await mintToken(key.key, { locked_filters });
      const res = await embed(`/api/v1/embed/widgets/${w}/data`, withToken(body.token));
      expect(res.status).toBe(403);
      const error = ((await res.json()) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('lock_not_applicable');
      expect(error.message).toMatch(reason);
    }
    const free = await embed(`/api/v1/embed/widgets/${w}/data`, withKey(key.key));
    expect(((await free.json()) as { rows: unknown[] }).rows).toHaveLength(3);
  });

  it('records last_used_at and an audit entry on key use', async () => {
    const t = uniqueTenant('eu');
    const w = await widget(t);
    const key = await apiKey(t, [w]);
    await embed(`/api/v1/embed/widgets/${w}`, withKey(key.key));
    const listed = (await (await h.as(t).get(`/api/v1/api-keys/${key.id}`)).json()) as {
      last_used_at: string | null;
      prefix: string;
    };
    expect(listed.last_used_at).not.toBeNull();
    const { entries } = (await (await h.as(t).get('/api/v1/audit')).json()) as {
      entries: { actor: string; action: string; target_id: string; details: unknown }[];
    };
    expect(entries[0]).toMatchObject({
      actor: `api_key:${listed.prefix}`,
      action: 'api_key.used',
      target_id: key.id,
      details: { method: 'GET', path: `/api/v1/embed/widgets/${w}` },
    });
  });
});

describe('embedded chart drawn at the edge (GET /api/v1/embed/widgets/:id/chart.svg)', () => {
  /** Traded volume per symbol as a bar chart: what the route must draw. */
  function volumeChart() {
    const graph = totalsGraph();
    graph.nodes.push(node('bar', 'bar_chart', { x: 'symbol', y: ['volume'] }));
    graph.edges.push(edge('grp', 'bar'));
    return graph;
  }
  const svgPath = (w: string, q = 'width=640&height=320') => `/api/v1/embed/widgets/${w}/chart.svg?${q}`;

  it("draws the widget's rows as SVG at the frame's size, with each bar marked for hover, cached per size and theme", async () => {
    const t = uniqueTenant('svg');
    const w = await widget(t, volumeChart(), 'bar');
    const key = await apiKey(t, [w], { allowed_origins: ['https://customer.example'] });
    const auth = withToken((await mintToken(key.key)).body.token);
    const data = (await (await embed(`/api/v1/embed/widgets/${w}/data`, auth)).json()) as {
      columns: { name: string }[];
      rows: unknown[][];
    };
    const symbols = data.rows.map((r) => String(r[data.columns.findIndex((c) => c.name === 'symbol')]));
    expect(symbols.length).toBeGreaterThan(1);

    const first = await embed(svgPath(w), auth);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(first.headers.get('content-security-policy')).toBe(
      "frame-ancestors https://customer.example; default-src 'none'; style-src 'unsafe-inline'",
    );
    expect(first.headers.get('x-cache')).toBe('miss');
    const svg = await first.text();
    expect(svg).toMatch(/^<svg width="640" height="320" /);
    // One bar per row, each carrying its series and data index; one axis label per symbol.
    const bars = [
      ...svg.matchAll(/ecmeta_series_index="0" ecmeta_data_index="(\d+)" ecmeta_ssr_type="chart"/g),
    ];
    expect(bars.map((m) => Number(m[1]))).toEqual(symbols.map((_, i) => i));
    for (const symbol of symbols) expect(svg).toContain(`>${symbol}</text>`);
    expect(svg).toContain(':hover');
    expect(svg).not.toContain('<script');

    const again = await embed(svgPath(w), auth);
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(await again.text()).toBe(svg);

    const dark = await embed(svgPath(w, 'width=640&height=320&theme=dark'), auth);
    expect(dark.headers.get('x-cache')).toBe('miss');
    const darkSvg = await dark.text();
    expect(darkSvg).not.toBe(svg);
    const wider = await embed(svgPath(w, 'width=900&height=320'), auth);
    expect(wider.headers.get('x-cache')).toBe('miss');
    expect(await wider.text()).toMatch(/^<svg width="900" height="320" /);
  });

  it("keeps the token's scope: another widget 403, a table 422, no token 401, a bad size 400", async () => {
    const t = uniqueTenant('svg');
    const chart = await widget(t, volumeChart(), 'bar');
    const other = await widget(t, volumeChart(), 'bar');
    const table = await widget(t);
    const key = await apiKey(t, [chart, table]);
    const auth = withToken((await mintToken(key.key)).body.token);
    const outside = await embed(svgPath(other), auth);
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { error: { code: string } }).error.code).toBe('widget_out_of_scope');
    const notChart = await embed(svgPath(table), auth);
    expect(notChart.status).toBe(422);
    expect(((await notChart.json()) as { error: { code: string } }).error.code).toBe('not_a_chart');
    expect((await embed(svgPath(chart), {})).status).toBe(401);
    expect((await embed(svgPath(chart, 'width=10&height=320'), auth)).status).toBe(400);
    expect((await embed(svgPath(chart, 'height=320'), auth)).status).toBe(400);
  });

  it('applies the locked filters: a token locked to one symbol draws that bar only', async () => {
    const t = uniqueTenant('svg');
    const w = await widget(t, volumeChart(), 'bar');
    const key = await apiKey(t, [w]);
    const auth = withToken((await mintToken(key.key, { locked_filters: { symbols: ['AAPL'] } })).body.token);
    const svg = await (await embed(svgPath(w), auth)).text();
    expect([...svg.matchAll(/ecmeta_ssr_type="chart"/g)]).toHaveLength(1);
    expect(svg).toContain('>AAPL</text>');
    const widened = await embed(svgPath(w, 'width=640&height=320&symbols=AAPL,MSFT'), auth);
    expect(widened.status).toBe(403);
  });
});

describe('embed page (/embed/:widgetId) and SDK (/embed/sdk.js)', () => {
  // A stand-in build: what these tests check is the edge's serving and headers; the real build runs in the e2e suite.
  let dist: string;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'flowforge-embed-dist-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(dist, 'sdk.js'), 'export const FlowForge = {};');
    await writeFile(join(dist, 'assets', 'page-abc123.js'), 'console.log(1);');
    app = createApp({ ...h.node.deps, embedAssets: new DirectoryAssets(join(dist)) });
  });
  afterAll(() => rm(dist, { recursive: true, force: true }));

  it("serves the page with frame-ancestors from the widget's keys, no referrer, nosniff, no store, no cookies", async () => {
    const t = uniqueTenant('ep');
    const [w, other] = [await widget(t), await widget(t)];
    await apiKey(t, [w], { allowed_origins: ['https://b.example', 'https://a.example'] });
    const revoked = await apiKey(t, [w, other], { allowed_origins: ['http://localhost:3000'] });
    await h.as(t).delete(`/api/v1/api-keys/${revoked.id}`);

    const res = await app.request(`/embed/${w}?theme=dark`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('<div id="root">');
    const csp = res.headers.get('content-security-policy')!;
    // A revoked key's origins keep framing, so its frames can say "revoked" rather than show a browser error.
    expect(csp.split('; ')[0]).toBe(
      'frame-ancestors http://localhost:3000 https://a.example https://b.example',
    );
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it("answers frame-ancestors 'none' for a widget no key covers and 404 for a malformed id", async () => {
    const t = uniqueTenant('ep');
    const w = await widget(t);
    const res = await app.request(`/embed/${w}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/^frame-ancestors 'none'; /);
    expect(
      (await app.request(`/embed/${crypto.randomUUID()}`)).headers.get('content-security-policy'),
    ).toMatch(/^frame-ancestors 'none'; /);
    expect((await app.request('/embed/not-a-widget')).status).toBe(404);
  });

  it('serves the SDK to other origins and hashed assets as immutable; nothing outside the build', async () => {
    const sdk = await app.request('/embed/sdk.js');
    expect(sdk.status).toBe(200);
    expect(sdk.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(sdk.headers.get('access-control-allow-origin')).toBe('*');
    expect(await sdk.text()).toBe('export const FlowForge = {};');
    const chunk = await app.request('/embed/assets/page-abc123.js');
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await app.request('/embed/assets/missing.js')).status).toBe(404);
    expect((await app.request('/embed/assets/..%2Findex.html')).status).toBe(404);
    expect((await app.request('/embed/assets/..%2F..%2Fpackage.json')).status).toBe(404);
  });

  it('answers 503 naming the build command when the embed page is not built', async () => {
    const unbuilt = createApp({ ...h.node.deps, embedAssets: new DirectoryAssets(join(dist, 'nowhere')) });
    const res = await unbuilt.request(`/embed/${crypto.randomUUID()}`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      error: { code: 'embed_not_built', message: expect.stringContaining('npm run build:embed') },
    });
  });
});

describe('embed rate limits', () => {
  it('limits each token and each key per minute with 429 + Retry-After (EMBED_*_RATE_LIMIT_PER_MINUTE)', async () => {
    const limited = createApp({
      ...h.node.deps,
      config: { ...h.config, EMBED_TOKEN_RATE_LIMIT_PER_MINUTE: 2, EMBED_RATE_LIMIT_PER_MINUTE: 5 },
    });
    const get = (path: string, headers: Record<string, string>) => limited.request(path, { headers });
    const t = uniqueTenant('er');
    const w = await widget(t);
    const key = await apiKey(t, [w]);
    const [first, second] = [(await mintToken(key.key)).body.token, (await mintToken(key.key)).body.token];
    const meta = `/api/v1/embed/widgets/${w}`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(meta, withToken(first))).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await get(meta, withToken(first));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Another viewer's token has its own allowance, until the key's five reads are spent.
    expect((await get(meta, withToken(second))).status).toBe(200);
    expect((await get(meta, withKey(key.key))).status).toBe(429);
    expect((await get(meta, withToken(second))).status).toBe(429);
    // A token's allowance is counted while its key is read: a revoked key still answers 401 "revoked", not 429.
    expect((await h.as(t).delete(`/api/v1/api-keys/${key.id}`)).status).toBe(204);
    const revoked = await get(meta, withToken(second));
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: { details: { reason: 'key_revoked' } } });
  });
});

describe('embed reads keep ACLs and widgets in process', () => {
  it("this process's changes reach an embed at once; another process's within ACL_CACHE_SECONDS / WIDGET_CACHE_SECONDS", async () => {
    const t = uniqueTenant('emc');
    const w = await widget(t);
    const { body } = await mintToken((await apiKey(t, [w])).key);
    // Another process on the same stack: its own in-process caches, no bus that pushes (Upstash REST), 1 s bounds.
    const other = createApp({
      ...h.node.deps,
      config: { ...h.config, ACL_CACHE_SECONDS: 1, WIDGET_CACHE_SECONDS: 1 },
    });
    const path = `/api/v1/embed/widgets/${w}/data?limit=100`;
    const symbols = async (app: typeof h.app) => {
      const res = await app.request(path, { headers: withToken(body.token) });
      if (res.status !== 200) return res.status;
      const { columns, rows } = (await res.json()) as { columns: { name: string }[]; rows: unknown[][] };
      const at = columns.findIndex((c) => c.name === 'symbol');
      return [...new Set(rows.map((r) => r[at]))].sort();
    };
    expect((await symbols(h.app)) as string[]).toContain('GOOGL');
    expect((await symbols(other)) as string[]).toContain('GOOGL');
    const narrowed = Date.now();
    await h.as(t).put('/api/v1/acl', { allowed_symbols: ['AAPL'], allowed_tables: null });
    expect(await symbols(h.app)).toEqual(['AAPL']);
    await expect.poll(() => symbols(other), { interval: 100, timeout: 3_000 }).toEqual(['AAPL']);
    expect(Date.now() - narrowed).toBeLessThan(1_000 + 500);

    const deleted = Date.now();
    expect((await h.as(t).delete(`/api/v1/widgets/${w}`)).status).toBe(204);
    expect(await symbols(h.app)).toBe(404);
    await expect.poll(() => symbols(other), { interval: 100, timeout: 3_000 }).toBe(404);
    expect(Date.now() - deleted).toBeLessThan(1_000 + 500);
  });
});
