import { templateById } from '@flowforge/edge/templates';
import { execFileSync } from 'node:child_process';
import type { Browser, Frame, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCustomerApp, type CustomerApp } from './customer-app.ts';
import { launchBrowser, screenshot, startEmbedded, type EmbeddedApp } from './harness.ts';

// A widget embedded in a customer's app on another origin: the SDK, token renewal, framing rules, revocation, scopes,
// locks and rate limits, in Chromium against the embedded mode (the edge's Node entry with the built embed page).

let app: EmbeddedApp;
let customer: CustomerApp;
let elsewhere: CustomerApp;
let browser: Browser;
let page: Page;
let chartWidget: string;
let tableWidget: string;
let lineWidget: string;
let dashboardId: string;

/** The embedded mode signs scripts in as its development tenant. */
async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

async function createKey(name: string, widgetIds: string[], origins: string[]): Promise<{ id: string }> {
  const created = await api<{ id: string; key: string }>('POST', '/api/v1/api-keys', {
    name,
    widget_ids: widgetIds,
    allowed_origins: origins,
  });
  customer.keys.set(name, created.key);
  return created;
}

async function mint(keyName: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${app.url}/api/v1/embed/tokens`, {
    method: 'POST',
    headers: { 'X-API-Key': customer.keys.get(keyName)!, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

async function embedFrame(): Promise<Frame> {
  await expect.poll(() => page.frames().length, { timeout: 15_000 }).toBeGreaterThan(1);
  return page.frames()[1]!;
}

const sdkEvents = () =>
  page.evaluate(() => (window as unknown as { embedEvents: { type: string; code?: string }[] }).embedEvents);

async function stateOf(frame: Frame): Promise<string | null> {
  return frame
    .locator('[data-testid="embed-state"]')
    .getAttribute('data-state', { timeout: 500 })
    .catch(() => null);
}

beforeAll(async () => {
  app = await startEmbedded();
  customer = await startCustomerApp(app.url);
  elsewhere = await startCustomerApp(app.url);
  ({ browser, page } = await launchBrowser());

  const dashboard = await api<{ id: string }>('POST', '/api/v1/dashboards', {
    name: 'Embeds',
    refresh_seconds: 2,
  });
  dashboardId = dashboard.id;
  /** Saves a workflow and pins its output on the embeds' dashboard: the widget's id. */
  const pin = async (name: string, graph: unknown, outputNodeId: string, widgetType: string) => {
    const workflow = await api<{ id: string }>('POST', '/api/v1/workflows', { name, graph });
    const widget = await api<{ id: string }>('POST', '/api/v1/widgets', {
      dashboard_id: dashboard.id,
      workflow_id: workflow.id,
      output_node_id: outputNodeId,
      widget_type: widgetType,
    });
    return widget.id;
  };
  chartWidget = await pin('VWAP', templateById('vwap-by-symbol')!.graph, 'chart', 'bar_chart');
  tableWidget = await pin(
    'Daily',
    {
      nodes: [
        {
          id: 'src',
          type: 'data_source',
          position: { x: 0, y: 0 },
          data: { database: 'metrics', table: 'daily_rollup' },
        },
        { id: 'table', type: 'table_view', position: { x: 300, y: 0 }, data: {} },
      ],
      edges: [{ id: 'e', source: 'src', target: 'table' }],
    },
    'table',
    'table',
  );
  lineWidget = await pin('Spreads', templateById('spread-monitor')!.graph, 'chart', 'line_chart');
  await createKey('main', [chartWidget, tableWidget, lineWidget], [customer.origin]);
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-embed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await customer?.close();
  await elsewhere?.close();
  await app?.stop();
});

describe('embed a widget in a customer app', () => {
  it("draws the chart inside the iframe as the edge's SVG through the SDK, says ready, hovers, resizes and refreshes", async () => {
    const svgAnswers: { url: string; status: number }[] = [];
    const onResponse = (res: Response) => {
      if (res.url().includes(`/embed/widgets/${chartWidget}/chart.svg`))
        svgAnswers.push({ url: res.url(), status: res.status() });
    };
    page.on('response', onResponse);
    try {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`${customer.origin}/?widget=${chartWidget}&key=main`);
      const frame = await embedFrame();
      const svg = frame.locator('[data-testid="chart-svg"] svg');
      await svg.waitFor({ timeout: 30_000 });
      await expect.poll(sdkEvents, { timeout: 10_000 }).toContainEqual({ type: 'ready' });
      // The token never reaches a server in a URL: the frame's request line carries no token, nor does the SVG's.
      expect(frame.url()).toMatch(new RegExp(`/embed/${chartWidget}\\?theme=light#token=`));
      expect(svgAnswers.every((a) => !a.url.includes('token'))).toBe(true);
      // No chart library in the frame: the page's scripts are its one bundle.
      const scripts = await frame.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.endsWith('.js'))
          .map((e) => e.name),
      );
      expect(scripts).toHaveLength(1);

      // The widget's series: one bar per symbol of its rows, each symbol an axis label, drawn for the frame's box.
      const token = await mint('main', { widget_ids: [chartWidget] });
      const rows = (await (
        await fetch(`${app.url}/api/v1/embed/widgets/${chartWidget}/data`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { columns: { name: string }[]; rows: unknown[][] };
      const symbols = rows.rows.map((r) => String(r[rows.columns.findIndex((c) => c.name === 'symbol')]));
      expect(symbols.length).toBeGreaterThan(1);
      await expect.poll(() => svg.locator('[ecmeta_ssr_type="chart"]').count()).toBe(symbols.length);
      const labels = await svg.locator('text').allTextContents();
      for (const symbol of symbols) expect(labels).toContain(symbol);
      expect(await svg.getAttribute('width')).toBe('760');
      expect(await svg.getAttribute('height')).toBe('380');

      // Hover: the bar's emphasis is the SVG's own CSS; the tooltip names the symbol and its VWAP.
      await svg.locator('[ecmeta_ssr_type="chart"]').nth(1).hover();
      const tooltip = frame.locator('[data-testid="chart-tooltip"]');
      await expect.poll(() => tooltip.textContent(), { timeout: 5_000 }).toContain(symbols[1]!);
      expect(await tooltip.textContent()).toMatch(/vwap: [\d,]+\.\d+/);
      for (const [width, height] of [
        [1440, 900],
        [1024, 700],
      ] as const) {
        await page.setViewportSize({ width, height });
        await screenshot(page, `embed-svg-light-${width}x${height}`);
      }

      // The dashboard refreshes every 2 s over the live tape: new rows are drawn again without a reload.
      const drawn = svgAnswers.length;
      await expect.poll(() => svgAnswers.length, { timeout: 15_000 }).toBeGreaterThan(drawn);

      // The customer's layout changes the mount: the chart is drawn again for the new box.
      await page.evaluate(() => {
        const mount = document.querySelector<HTMLElement>('#chart')!;
        mount.style.width = '520px';
        mount.style.height = '300px';
      });
      await expect.poll(() => svg.getAttribute('width'), { timeout: 10_000 }).toBe('520');
      expect(await svg.getAttribute('height')).toBe('300');
      expect(svgAnswers.filter((a) => a.status !== 200)).toEqual([]);

      const lightFills = await svg.locator('text').first().getAttribute('fill');
      await page.goto(`${customer.origin}/?widget=${chartWidget}&key=main&theme=dark`);
      const dark = await embedFrame();
      const darkSvg = dark.locator('[data-testid="chart-svg"] svg');
      await darkSvg.waitFor({ timeout: 30_000 });
      expect(await dark.locator('html').getAttribute('class')).toBe('dark');
      expect(svgAnswers.at(-1)!.url).toContain('theme=dark');
      // ECharts' dark palette: axis labels in another colour than the light chart's.
      expect(await darkSvg.locator('text').first().getAttribute('fill')).not.toBe(lightFills);
      await darkSvg.locator('[ecmeta_ssr_type="chart"]').first().hover();
      await dark.locator('[data-testid="chart-tooltip"]').waitFor({ timeout: 5_000 });
      for (const [width, height] of [
        [1440, 900],
        [1024, 700],
      ] as const) {
        await page.setViewportSize({ width, height });
        await screenshot(page, `embed-svg-dark-${width}x${height}`);
      }
    } finally {
      page.off('response', onResponse);
    }
  });

  it('draws a line chart over time per series, and hovering a point shows its day and value', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${customer.origin}/?widget=${lineWidget}&key=main`);
    const frame = await embedFrame();
    const svg = frame.locator('[data-testid="chart-svg"] svg');
    await svg.waitFor({ timeout: 30_000 });
    const token = await mint('main', { widget_ids: [lineWidget] });
    const data = (await (
      await fetch(`${app.url}/api/v1/embed/widgets/${lineWidget}/data?limit=5000`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { columns: { name: string }[]; rows: unknown[][] };
    const symbolAt = data.columns.findIndex((c) => c.name === 'symbol');
    const symbols = [...new Set(data.rows.map((r) => String(r[symbolAt])))];
    // One line per symbol (its legend entry) and one hover target per point (the live quote tape may have opened
    // today's point of a symbol between the two reads).
    for (const symbol of symbols) expect(await svg.locator('text').allTextContents()).toContain(symbol);
    const targets = await svg.locator('[ecmeta_ssr_type="chart"]').count();
    expect(Math.abs(targets - data.rows.length)).toBeLessThanOrEqual(symbols.length);
    const target = svg.locator('[ecmeta_series_index="0"][ecmeta_ssr_type="chart"]').nth(1);
    // The pointer onto the point's target (a transparent shape: Playwright's hover waits for it to look stable).
    const box = (await target.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = frame.locator('[data-testid="chart-tooltip"]');
    await tooltip.waitFor({ timeout: 5_000 });
    // Points of other lines may lie on top of it: the tooltip names whichever series is under the pointer.
    expect(await tooltip.textContent()).toMatch(
      new RegExp(`^\\d{4}-\\d{2}-\\d{2}[\\d:. ]*(${symbols.join('|')}): [\\d,]+\\.\\d+$`),
    );
    // The hovered point shows (it is a transparent target otherwise).
    const hovered = svg.locator('[ecmeta_ssr_type="chart"]:hover');
    expect(await hovered.count()).toBe(1);
    expect(await hovered.evaluate((el) => getComputedStyle(el).fillOpacity)).toBe('1');
    await screenshot(page, 'embed-svg-line-1440x900');
  });

  it('renews a short-lived token before it expires, without reloading the frame', async () => {
    const before = customer.mints.get('main') ?? 0;
    const dataAnswers: { at: number; status: number }[] = [];
    const onResponse = (res: Response) => {
      if (res.url().includes(`/embed/widgets/${chartWidget}/data`))
        dataAnswers.push({ at: Date.now(), status: res.status() });
    };
    page.on('response', onResponse);
    // Beside it, a raw iframe with the same kind of token and nobody to renew it.
    const unrenewed = await browser.newPage();
    try {
      const lonely = await mint('main', { widget_ids: [chartWidget], ttl_seconds: 30 });
      await unrenewed.goto(
        `${customer.origin}/raw?src=${encodeURIComponent(`${app.url}/embed/${chartWidget}#token=${lonely}`)}`,
      );
      await page.goto(`${customer.origin}/?widget=${chartWidget}&key=main&ttl=30`);
      const started = Date.now();
      const frame = await embedFrame();
      await frame.locator('[data-testid="chart-svg"] svg').first().waitFor({ timeout: 30_000 });
      const loadedAt = await frame.evaluate(() => performance.timeOrigin);
      // Renewal a quarter of the life (at least 10 s) before expiry: a second token ~20 s in.
      await expect.poll(() => (customer.mints.get('main') ?? 0) - before, { timeout: 35_000 }).toBe(2);
      // Past the first token's expiry, the frame (same document) still reads fresh data with the new token.
      await new Promise((r) => setTimeout(r, Math.max(0, started + 33_000 - Date.now())));
      await expect
        .poll(() => dataAnswers.some((a) => a.at > started + 31_000 && a.status === 200), { timeout: 10_000 })
        .toBe(true);
      expect(dataAnswers.filter((a) => a.status !== 200)).toEqual([]);
      expect(await frame.evaluate(() => performance.timeOrigin)).toBe(loadedAt);
      expect(await stateOf(frame)).toBeNull();
      expect((await sdkEvents()).filter((e) => e.type !== 'ready')).toEqual([]);
      expect(await stateOf(unrenewed.frames()[1]!)).toBe('expired');
    } finally {
      page.off('response', onResponse);
      await unrenewed.close();
    }
  });

  it('cannot be framed by a site the key does not allow', async () => {
    const token = await mint('main', { widget_ids: [chartWidget] });
    const src = `${app.url}/embed/${chartWidget}#token=${token}`;
    await page.goto(`${elsewhere.origin}/raw?src=${encodeURIComponent(src)}`);
    const blocked = await embedFrame();
    await expect.poll(() => blocked.url(), { timeout: 10_000 }).toMatch(/^chrome-error:/);
    expect(await blocked.locator('[data-testid="embed-root"]').count()).toBe(0);
    // The same raw iframe on the allowed origin draws.
    await page.goto(`${customer.origin}/raw?src=${encodeURIComponent(src)}`);
    const allowed = await embedFrame();
    await allowed.locator('[data-testid="chart-svg"] svg').first().waitFor({ timeout: 30_000 });

    // Once another key lets that site frame the widget, the browser lets the frame in; the page itself then refuses
    // a token whose own key does not list the site.
    await createKey('other-site', [chartWidget], [elsewhere.origin]);
    await page.goto(`${elsewhere.origin}/raw?src=${encodeURIComponent(src)}`);
    const foreign = await embedFrame();
    await expect.poll(() => stateOf(foreign), { timeout: 15_000 }).toBe('not_allowed_here');
    expect(await foreign.getByRole('alert').textContent()).toContain(elsewhere.origin);
    await screenshot(page, 'embed-not-allowed-here');
  });

  it('says "revoked" once the key is revoked', async () => {
    const key = await createKey('revocable', [chartWidget], [customer.origin]);
    await page.goto(`${customer.origin}/?widget=${chartWidget}&key=revocable`);
    const frame = await embedFrame();
    await frame.locator('[data-testid="chart-svg"] svg').first().waitFor({ timeout: 30_000 });
    await api('DELETE', `/api/v1/api-keys/${key.id}`);
    // The next refresh (every 2 s) is refused.
    await expect.poll(() => stateOf(frame), { timeout: 10_000 }).toBe('revoked');
    expect(await frame.getByRole('alert').textContent()).toMatch(/revoked/i);
    expect(await sdkEvents()).toContainEqual(expect.objectContaining({ type: 'error', code: 'revoked' }));
    await screenshot(page, 'embed-revoked');
  });

  it('a token for widget A cannot load widget B', async () => {
    const token = await mint('main', { widget_ids: [chartWidget] });
    const src = `${app.url}/embed/${tableWidget}#token=${token}`;
    await page.goto(`${customer.origin}/raw?src=${encodeURIComponent(src)}`);
    const frame = await embedFrame();
    await expect.poll(() => stateOf(frame), { timeout: 15_000 }).toBe('out_of_scope');
    expect(await frame.locator('[data-testid="data-table"]').count()).toBe(0);
  });

  it('narrows the locked filters from the SDK but cannot widen them', async () => {
    const rows: unknown[][][] = [];
    const onResponse = (res: Response) => {
      if (res.url().includes(`/embed/widgets/${tableWidget}/data`) && res.status() === 200)
        void res.json().then((body: { columns: { name: string }[]; rows: unknown[][] }) => {
          const symbol = body.columns.findIndex((c) => c.name === 'symbol');
          rows.push(body.rows.map((r) => [r[symbol]]));
        });
    };
    page.on('response', onResponse);
    try {
      await page.goto(`${customer.origin}/?widget=${tableWidget}&key=main&lock=AAPL,MSFT&symbols=MSFT`);
      const narrowed = await embedFrame();
      await narrowed.locator('[data-testid="data-table"]').waitFor({ timeout: 30_000 });
      await expect.poll(() => rows.length, { timeout: 10_000 }).toBeGreaterThan(0);
      const last = rows.at(-1)!;
      expect(last.length).toBeGreaterThan(0);
      expect(new Set(last.map((r) => r[0]))).toEqual(new Set(['MSFT']));

      await page.goto(`${customer.origin}/?widget=${tableWidget}&key=main&lock=AAPL&symbols=MSFT`);
      const widened = await embedFrame();
      await expect.poll(() => stateOf(widened), { timeout: 15_000 }).toBe('filter_locked');
      expect(await sdkEvents()).toContainEqual(
        expect.objectContaining({ type: 'error', code: 'filter_locked' }),
      );
    } finally {
      page.off('response', onResponse);
    }
  });

  it('answers 429 with Retry-After once a token spends its allowance, and the frame says so', async () => {
    const token = await mint('main', { widget_ids: [chartWidget] });
    const read = () =>
      fetch(`${app.url}/api/v1/embed/widgets/${chartWidget}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    // The embedded mode's default: EMBED_TOKEN_RATE_LIMIT_PER_MINUTE = 300, counted in windows aligned to the minute.
    // A run that straddles a minute starts counting afresh, so the allowance is spent when the server says so
    // (RateLimit-Remaining: 0) — at most two windows' worth of reads.
    let remaining = '';
    for (let i = 0; i < 600 && remaining !== '0'; i++) {
      const res = await read();
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('300');
      remaining = res.headers.get('ratelimit-remaining') ?? '';
    }
    expect(remaining).toBe('0');
    const refused = await read();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const src = `${app.url}/embed/${chartWidget}#token=${token}`;
    await page.goto(`${customer.origin}/raw?src=${encodeURIComponent(src)}`);
    const frame = await embedFrame();
    await expect.poll(() => stateOf(frame), { timeout: 15_000 }).toBe('rate_limited');
  });
});

describe('the Embed… dialog (admin)', () => {
  it('creates a widget-scoped key with origins and expiry, shows it once with snippets that work, lists and revokes it', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.url}/dashboards/${dashboardId}`);
    const card = page.locator(`[data-testid="widget"][data-widget-id="${chartWidget}"]`);
    await card.getByRole('button', { name: 'Widget actions' }).click();
    await page.getByRole('menuitem', { name: 'Embed…' }).click();
    const dialog = page.getByTestId('embed-dialog');
    await dialog.getByLabel('Key name').fill('Portal chart');
    await dialog.getByLabel(/Sites allowed/).fill(`not an origin`);
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toMatch(/allowed_origins\.0: expected an origin/);
    await dialog.getByLabel(/Sites allowed/).fill(customer.origin);
    await dialog.getByLabel('Key expires').selectOption({ label: '30 days' });
    await screenshot(page, 'embed-dialog-form-1440x900');
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const key = (await dialog.getByTestId('embed-key').locator('code').textContent())!;
    expect(key).toMatch(/^ff_live_/);
    const snippets: Record<string, string> = {};
    for (const [tab, label] of Object.entries({ node: 'Node', curl: 'curl', sdk: 'SDK', iframe: 'iframe' })) {
      await dialog.getByRole('tab', { name: label }).click();
      snippets[tab] = (await dialog.getByTestId(`snippet-${tab}`).textContent())!;
    }
    expect(snippets.node).toContain(key);
    expect(snippets.curl).toContain(key);
    for (const tab of ['sdk', 'iframe']) {
      expect(snippets[tab]).toContain(chartWidget);
      expect(snippets[tab]).not.toContain(key);
    }
    await screenshot(page, 'embed-dialog-snippets-1440x900');
    await page.setViewportSize({ width: 1024, height: 700 });
    await screenshot(page, 'embed-dialog-snippets-1024x700');

    // The curl snippet, run as written, mints a token for this widget only.
    const minted = JSON.parse(execFileSync('bash', ['-c', snippets.curl!], { encoding: 'utf8' })) as {
      token: string;
      widget_ids: string[];
    };
    expect(minted.widget_ids).toEqual([chartWidget]);
    customer.keys.set('from-dialog', key);
    await page.goto(`${customer.origin}/?widget=${chartWidget}&key=from-dialog`);
    const frame = await embedFrame();
    await frame.locator('[data-testid="chart-svg"] svg').first().waitFor({ timeout: 30_000 });

    // The keys page lists it: prefix, scope, origins, last used, expiry.
    await page.goto(`${app.url}/admin/keys`);
    const row = page.locator(`[data-testid="api-key-row"][data-prefix="${key.slice(0, 12)}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe('Portal chart');
    expect(cells[1]).toBe(`${key.slice(0, 12)}…`);
    expect(cells[3]).toBe(customer.origin);
    expect(cells[4]).not.toBe('—');
    expect(cells[5]).not.toBe('never');
    const stored = (
      await api<{ api_keys: { prefix: string; expires_at: string; scoped_widget_ids: string[] }[] }>(
        'GET',
        '/api/v1/api-keys',
      )
    ).api_keys.find((k) => k.prefix === key.slice(0, 12))!;
    expect(stored.scoped_widget_ids).toEqual([chartWidget]);
    expect(Date.parse(stored.expires_at) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    await screenshot(page, 'embed-keys-page');

    // Revoked from the widget's dialog, the customer's backend can no longer mint tokens.
    await page.goto(`${app.url}/dashboards/${dashboardId}`);
    await card.getByRole('button', { name: 'Widget actions' }).click();
    await page.getByRole('menuitem', { name: 'Embed…' }).click();
    const listed = page.getByTestId('embed-dialog').locator(`[data-prefix="${key.slice(0, 12)}"]`);
    await listed.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => listed.locator('td').last().textContent()).toMatch(/^revoked/);
    await page.goto(`${customer.origin}/?widget=${chartWidget}&key=from-dialog`);
    await expect
      .poll(sdkEvents, { timeout: 10_000 })
      .toContainEqual(expect.objectContaining({ type: 'error', code: 'token_fetch_failed' }));
  });
});
