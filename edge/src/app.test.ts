import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseEngine, clickHouseClient } from './adapters/clickhouse/index.ts';
import { createApp, MAX_BODY_BYTES } from './app.ts';
import { edge, node } from './test-support/graphs.ts';
import { startHarness, type Harness } from './test-support/harness.ts';
import { uniqueTenant } from './test-support/stack.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type ErrorBody = { error: { code: string; message: string; details: unknown } };

describe('request validation', () => {
  it('answers malformed JSON with 400 in the error shape', async () => {
    const res = await h.as(uniqueTenant('v')).post('/api/v1/workflows', '{"name": "x", graph: }');
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('malformed_json');
    expect(Object.keys(body.error)).toEqual(['code', 'message', 'details']);
  });

  it('answers a body over 2 MB with 413 before parsing it', async () => {
    const big = JSON.stringify({
      name: 'x',
      graph: { nodes: [], edges: [] },
      pad: 'x'.repeat(MAX_BODY_BYTES),
    });
    const res = await h.as(uniqueTenant('v')).post('/api/v1/workflows', big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe('payload_too_large');
  });

  it('answers 413 from a Content-Length over 2 MB without reading the body', async () => {
    const res = await h.app.request('/api/v1/workflows', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) },
      body: '{}',
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe('payload_too_large');
  });

  it('accepts a body just under 2 MB', async () => {
    const nodes = Array.from({ length: 4000 }, (_, i) => ({
      id: `n${i}`,
      type: 'filter',
      position: { x: i, y: i },
      data: { logic: 'AND', conditions: [], note: 'x'.repeat(300) },
    }));
    const body = JSON.stringify({ name: 'big', graph: { nodes, edges: [] } });
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    expect((await h.as(uniqueTenant('v')).post('/api/v1/workflows', body)).status).toBe(201);
  });

  it('answers schema violations with 422 and the paths', async () => {
    const res = await h
      .as(uniqueTenant('v'))
      .post('/api/v1/workflows', { name: '', graph: { nodes: [{ id: 1 }] } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['name', 'graph.nodes.0.id', 'graph.edges']),
    );
  });

  it('refuses bodies that are not application/json with 415 (cross-site simple requests)', async () => {
    const client = h.as(uniqueTenant('v'));
    const body = JSON.stringify({ name: 'x', graph: { nodes: [], edges: [] } });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=b',
    ]) {
      const res = await client.post('/api/v1/workflows', body, { 'content-type': type });
      expect(res.status, type).toBe(415);
      expect(((await res.json()) as ErrorBody).error.code).toBe('unsupported_media_type');
    }
    const res = await client.post('/api/v1/workflows', body, {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(res.status).toBe(201);
  });

  it('answers NUL and lone surrogates with 422 naming the field, wherever they are', async () => {
    const client = h.as(uniqueTenant('v'));
    const graph = { nodes: [], edges: [] };
    const cases: [string, string, unknown, string][] = [
      ['post', '/api/v1/workflows', { name: 'a\u0000b', graph }, 'name'],
      ['post', '/api/v1/workflows', { name: 'lone \uD800', graph }, 'name'],
      [
        'post',
        '/api/v1/workflows',
        {
          name: 'g',
          graph: {
            nodes: [{ id: 'n\uDFFF', type: 'filter', position: { x: 0, y: 0 }, data: {} }],
            edges: [],
          },
        },
        'graph.nodes.0.id',
      ],
      ['post', '/api/v1/dashboards', { name: 'd', description: '\u0000' }, 'description'],
      ['put', '/api/v1/acl', { allowed_symbols: ['AA\u0000PL'], allowed_tables: null }, 'allowed_symbols.0'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await (method === 'put' ? client.put(path, body) : client.post(path, body));
      expect(res.status, `${path} ${field}`).toBe(422);
      const error = ((await res.json()) as ErrorBody).error;
      expect(error.code).toBe('invalid_input');
      expect(error.message).toContain(`"${field}"`);
    }
    const query = await client.get('/api/v1/workflows?cursor=%00');
    expect(query.status).toBe(422);
    expect(((await query.json()) as ErrorBody).error.message).toContain('"cursor"');
    const pathParam = await client.get('/api/v1/workflows/%00');
    expect(pathParam.status).toBe(422);
  });

  it('answers JSON nested 5 000 and 100 000 deep with 422, not a stack overflow', async () => {
    const client = h.as(uniqueTenant('v'));
    for (const depth of [65, 5_000, 100_000]) {
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const res = await client.post(
        '/api/v1/workflows',
        `{"name":"deep","graph":{"nodes":[],"edges":[]},"x":${deep}}`,
      );
      expect(res.status, String(depth)).toBe(422);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(/deeper than 64/);
    }
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const res = await h.as(uniqueTenant('v')).get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.code).toBe('not_found');
  });
});

describe('OpenAPI and docs', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await h.app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const spec = (await res.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }
        >
      >;
    };
    expect(spec.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/workflows',
      '/api/v1/workflows/{id}',
      '/api/v1/workflows/{id}/versions',
      '/api/v1/workflows/{id}/versions/{version}/restore',
      '/api/v1/dashboards/{id}',
      '/api/v1/widgets/{id}/data',
      '/api/v1/preview',
      '/api/v1/table',
      '/api/v1/export.csv',
      '/api/v1/schema',
      '/api/v1/api-keys',
      '/api/v1/embed/tokens',
      '/api/v1/embed/widgets/{id}/data',
      '/health',
    ]) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
    const preview = spec.paths['/api/v1/preview']!.post!.requestBody!.content['application/json']!.schema;
    expect(Object.keys(preview.properties!)).toEqual(['graph', 'target_node_id', 'limit', 'refresh']);
  });

  it('renders a self-contained docs page', async () => {
    const res = await h.app.request('/api/v1/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/api/v1/preview');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });
});

describe('CORS for the web app', () => {
  const web = 'http://localhost:5173';
  const get = (origin?: string) =>
    h.app.request('http://localhost/api/v1/health', { headers: origin ? { origin } : {} });

  it('answers an allowed cross-origin preflight and request with the CORS headers', async () => {
    const preflight = await h.app.request('http://localhost/api/v1/workflows', {
      method: 'OPTIONS',
      headers: { origin: web, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(web);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const res = await get(web);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(web);
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('grants nothing to another origin', async () => {
    const res = await get('https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds no CORS headers to a same-origin request or one without Origin, and still answers it', async () => {
    for (const res of [await get('http://localhost'), await get()]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('server-timing')).toMatch(/total;dur=/);
    }
  });
});

describe('GET /health', () => {
  it('says only up or degraded in public', async () => {
    for (const path of ['/health', '/api/v1/health']) {
      const res = await h.app.request(path);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'up' });
    }
  });

  it('reports each dependency up with its latency to admins', async () => {
    expect((await h.as(uniqueTenant('hd'), 'analyst').get('/api/v1/health/details')).status).toBe(403);
    const res = await h.as(uniqueTenant('hd')).get('/api/v1/health/details');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      checks: Record<string, { status: string; latency_ms: number }>;
    };
    expect(body.status).toBe('up');
    expect(Object.keys(body.checks).sort()).toEqual(['bus', 'cache', 'clickhouse', 'metadata', 'redis']);
    // Process memory is a development detail: outside APP_ENV=development it is not reported.
    expect(body).not.toHaveProperty('memory');
    for (const check of Object.values(body.checks))
      expect(check).toMatchObject({ status: 'up', latency_ms: expect.any(Number) });
  });

  it('answers 503 and names the dependency that is down', async () => {
    const app = createApp({
      ...h.node.deps,
      analytics: { clickhouse: new ClickHouseEngine(clickHouseClient({ url: 'http://127.0.0.1:1' })) },
    });
    const res = await app.request('/health');
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'degraded' });
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|clickhouse/i);
    const token = await h.jwks.token(uniqueTenant('hd'));
    const details = await app.request('/api/v1/health/details', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(details.status).toBe(503);
    expect(await details.json()).toMatchObject({
      status: 'degraded',
      checks: { clickhouse: { status: 'down' }, metadata: { status: 'up' } },
    });
  });
});

describe('engine errors', () => {
  const totalOf = (table: string, column: string) => ({
    nodes: [
      node('src', 'data_source', { database: 'flowforge', table }),
      node('grp', 'group_by', { group_by: [], aggregations: [{ function: 'sum', column }] }),
    ],
    edges: [edge('src', 'grp')],
  });

  it('maps a preview past max_rows_to_read to a readable 422', async () => {
    const res = await h
      .as(uniqueTenant('ee'))
      .post('/api/v1/preview', { graph: totalOf('edge_test_wide', 'n'), target_node_id: 'grp' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('query_too_expensive');
    expect(body.error.message).toMatch(/filter/);
  });

  it('maps a preview past max_execution_time to 504', async () => {
    const res = await h
      .as(uniqueTenant('ee'))
      .post('/api/v1/preview', { graph: totalOf('edge_test_heavy', 'score'), target_node_id: 'grp' });
    expect(res.status).toBe(504);
    expect(((await res.json()) as ErrorBody).error.code).toBe('query_timeout');
  });
});
