import { readFile } from 'node:fs/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canvasHelpers } from './canvas-helpers.ts';
import { launchBrowser, screenshot, startEmbedded, type EmbeddedApp } from './harness.ts';

let app: EmbeddedApp;
let browser: Browser;
let page: Page;
let helpers: ReturnType<typeof canvasHelpers>;

beforeAll(async () => {
  app = await startEmbedded();
  ({ browser, page } = await launchBrowser());
  helpers = canvasHelpers(page);
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-dashboard-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const widgets = () => page.getByTestId('widget');
const widgetByTitle = (title: RegExp): Locator => widgets().filter({ has: page.getByText(title) });

/** Every widget drew its data for the filters the URL names (the API echoes the filters it applied). */
async function allWidgetsReady(expectedSymbols: string[] | null): Promise<void> {
  await expect
    .poll(
      async () =>
        page.evaluate((symbols) => {
          const cards = [...document.querySelectorAll('[data-testid="widget"]')];
          return (
            cards.length === 4 &&
            cards.every((c) => {
              if (c.getAttribute('data-state') !== 'ready') return false;
              const applied = JSON.parse(c.getAttribute('data-filters') || '{}') as { symbols?: string[] };
              return JSON.stringify(applied.symbols ?? null) === JSON.stringify(symbols);
            }) &&
            document.querySelectorAll('[data-testid="widget"] [data-testid="chart"] canvas').length === 2
          );
        }, expectedSymbols),
      { timeout: 30_000 },
    )
    .toBe(true);
}

/** What each widget shows, by title: row counts, the KPI's text and the symbols in the table. */
async function widgetContents(): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('[data-testid="widget"]')].map((c) => [
        c.querySelector('[data-testid="widget-title"]')!.textContent!.split(':')[0]!,
        [
          c.getAttribute('data-rows'),
          c.querySelector('[data-testid="kpi-value"]')?.textContent ?? '',
          [...c.querySelectorAll('[role="cell"]')]
            .map((cell) => cell.textContent)
            .filter((t) => /^[A-Z]{2,5}$/.test(t ?? '') && t !== 'BUY' && t !== 'SELL')
            .slice(0, 20)
            .join(','),
        ].join('|'),
      ]),
    ),
  );
}

/** Resizes the window and waits until the grid has re-measured: no widget sticks out on the right. */
async function viewport(width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await expect
    .poll(() =>
      page.evaluate(() =>
        Math.max(
          ...[...document.querySelectorAll('[data-testid="grid-item"]')].map(
            (item) => item.getBoundingClientRect().right,
          ),
        ),
      ),
    )
    .toBeLessThanOrEqual(width);
  // Charts redraw on the next frame after their container resized.
  await page.waitForTimeout(300);
}

async function pin(nodeId: string, dashboard: { create?: string; name?: string }): Promise<void> {
  await helpers.openNode(nodeId);
  await page.getByTestId('pin-to-dashboard').click();
  const dialog = page.getByTestId('pin-dialog');
  await dialog.waitFor();
  if (dashboard.name) await dialog.getByLabel('Workflow name to save').fill(dashboard.name);
  if (dashboard.create) {
    await dialog.getByLabel('Dashboard', { exact: true }).selectOption({ label: '+ New dashboard…' });
    await dialog.getByLabel('New dashboard name').fill(dashboard.create);
  }
  await dialog.getByRole('button', { name: /pin/i }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe('dashboards: pin four outputs, filter, resize, reopen', () => {
  let dashboardUrl: string;
  const ids: Record<string, string> = {};

  it('builds Group By → Bar Chart, a Table View, a KPI and a Line Chart on one canvas', async () => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(`${app.url}/canvas`);
    const { dropNode, connect, edgeDrawn, openNode } = helpers;
    // A node dropped while another is selected comes connected after it; other drops are connected by hand.
    const source = await dropNode('data_source', 100, 80);
    await page
      .getByTestId('config-panel')
      .getByLabel('Table', { exact: true })
      .selectOption('flowforge.raw_trades');

    const bySymbol = await dropNode('group_by', 380, 40);
    await edgeDrawn(source, bySymbol);
    await openNode(bySymbol);
    await page.getByRole('checkbox', { name: /^symbol/ }).check();
    await page.getByRole('button', { name: '+ Add aggregation' }).click();
    ids.bar = await dropNode('bar_chart', 680, 40);
    await edgeDrawn(bySymbol, ids.bar);
    await openNode(ids.bar);
    await page.getByLabel('x', { exact: true }).selectOption('symbol');
    await page.getByRole('checkbox', { name: /^count/ }).check();

    // Newest first: a live tape mixes every symbol at the top, so the AAPL filter visibly changes the table.
    const newest = await dropNode('sort', 380, 180);
    await connect(source, newest);
    await openNode(newest);
    await page.getByRole('button', { name: '+ Add sort key' }).click();
    await page.getByLabel('Sort column 1').selectOption('event_time');
    await page.getByLabel('Direction 1').selectOption('DESC');
    ids.table = await dropNode('table_view', 680, 180);
    await edgeDrawn(newest, ids.table);

    const total = await dropNode('group_by', 380, 320);
    await connect(source, total);
    await openNode(total);
    await page.getByRole('button', { name: '+ Add aggregation' }).click();
    ids.kpi = await dropNode('kpi', 680, 320);
    await edgeDrawn(total, ids.kpi);
    await openNode(ids.kpi);
    await page.getByLabel('value', { exact: true }).selectOption('count');

    const daily = await dropNode('data_source', 100, 460);
    await page
      .getByTestId('config-panel')
      .getByLabel('Table', { exact: true })
      .selectOption('metrics.daily_rollup');
    ids.line = await dropNode('line_chart', 380, 460);
    await edgeDrawn(daily, ids.line);
    await openNode(ids.line);
    await page.getByLabel('x', { exact: true }).selectOption('day');
    await page.getByRole('checkbox', { name: /^close/ }).check();
    await page.getByLabel('series', { exact: true }).selectOption('symbol');
    await page.locator('[data-testid="chart"] canvas').waitFor();
    // No gesture was refused (a refusal shows as a toast).
    expect(await page.getByTestId('toast').count()).toBe(0);
    await screenshot(page, 'dashboard-01-canvas');
  });

  it('pins all four to a new dashboard, saving the workflow first under a name', async () => {
    await pin(ids.bar!, { name: 'Market overview', create: 'Market board' });
    // The first pin saved the workflow: the canvas now lives at its URL with the pinned node selected.
    await page.waitForURL(/\/canvas\/[0-9a-f-]+\?node=/);
    // One confirmation, the same as for every later pin: with its way to the dashboard, not a second toast beside it.
    const confirmation = page.getByTestId('pinned');
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toContain('Pinned to “Market board”');
    expect(await confirmation.getByRole('link', { name: 'Open dashboard' }).getAttribute('href')).toMatch(
      /^\/dashboards\/[0-9a-f-]+$/,
    );
    expect(await page.getByText(/Pinned to/).count()).toBe(1);
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('Market overview');
    for (const node of [ids.table!, ids.kpi!, ids.line!]) {
      await confirmation.getByRole('button', { name: 'Dismiss' }).click();
      await confirmation.waitFor({ state: 'detached' });
      await pin(node, {});
      await confirmation.waitFor();
      expect(await page.getByText(/Pinned to/).count()).toBe(1);
    }
    await screenshot(page, 'dashboard-02-pinned');
  });

  it('lists the dashboard and shows 4 rendered widgets, also after a reload', async () => {
    await page.getByRole('link', { name: 'Dashboards', exact: true }).click();
    await page.getByTestId('dashboard-list').getByRole('link', { name: 'Market board' }).click();
    await page.waitForURL(/\/dashboards\/[0-9a-f-]+$/);
    dashboardUrl = page.url();
    await allWidgetsReady(null);
    await page.reload();
    await allWidgetsReady(null);
    expect(await widgets().count()).toBe(4);
    expect(await page.getByTestId('widget-as-of').first().textContent()).toMatch(/^as of \d{2}:\d{2}:\d{2}$/);
    // The ready mark the bench reads is set once all four drew.
    expect(await page.evaluate(() => performance.getEntriesByName('ff:dashboard-ready').length)).toBe(1);
  });

  it('redraws the KPI counting live trades without a reload (simulator → data version → invalidation)', async () => {
    const kpi = widgetByTitle(/^KPI/).getByTestId('kpi-value');
    const before = await kpi.textContent();
    const started = performance.now();
    // The simulator appends every second; the fan-out coalesces for 500 ms; the page refetches after ≤ 200 ms.
    await expect.poll(() => kpi.textContent(), { timeout: 5_000, interval: 100 }).not.toBe(before);
    console.log(`live KPI changed ${Math.round(performance.now() - started)} ms after it was read`);
  });

  it('filters every widget to AAPL from the filter bar, and puts it in the URL', async () => {
    const before = await widgetContents();
    await page.getByTestId('symbol-picker').click();
    // The checkbox follows the URL, which the router updates right after the click.
    await page.getByRole('checkbox', { name: 'AAPL' }).click();
    await page.getByTestId('symbol-picker').click();
    await page.waitForURL(/symbols=AAPL/);
    await allWidgetsReady(['AAPL']);
    const after = await widgetContents();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const title of Object.keys(before)) expect(after[title], title).not.toBe(before[title]);
    // The bar chart has one bar left; the table shows AAPL rows only.
    expect(after['Bar Chart']!.split('|')[0]).toBe('1');
    expect(new Set(after['Table View']!.split('|')[2]!.split(','))).toEqual(new Set(['AAPL']));
    await viewport(1440, 900);
    await screenshot(page, 'dashboard-03-aapl-1440x900');
    await viewport(1024, 700);
    await screenshot(page, 'dashboard-04-aapl-1024x700');
    await viewport(1440, 900);
  });

  it('keeps a resized widget size after a reload', async () => {
    const item = page.getByTestId('grid-item').first();
    const box = (await item.boundingBox())!;
    const handle = item.locator('.react-resizable-handle');
    const grip = (await handle.boundingBox())!;
    const saved = page.waitForResponse(
      (r) => r.url().includes('/api/v1/dashboards/') && r.request().method() === 'PATCH',
    );
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    await page.mouse.move(grip.x + 100, grip.y + 60, { steps: 10 });
    await page.mouse.move(grip.x + 200, grip.y + 120, { steps: 10 });
    await page.mouse.up();
    await expect.poll(async () => (await item.boundingBox())!.width).toBeGreaterThan(box.width + 100);
    const resized = (await item.boundingBox())!;
    const response = await saved;
    expect(response.status()).toBe(200);
    // The grid units saved for the widget: wider and taller than the 6 × 9 a pinned widget starts with.
    const widgetId = await item.getByTestId('widget').getAttribute('data-widget-id');
    const { layout } = (await response.json()) as { layout: { widget_id: string; w: number; h: number }[] };
    const size = layout.find((l) => l.widget_id === widgetId)!;
    expect(size.w).toBeGreaterThan(6);
    expect(size.h).toBeGreaterThan(9);
    await page.reload();
    await allWidgetsReady(['AAPL']);
    // Same grid units after the reload; pixels may differ by a scrollbar's width.
    const again = (await page.getByTestId('grid-item').first().boundingBox())!;
    expect(Math.abs(again.width - resized.width)).toBeLessThan(resized.width * 0.03);
    expect(Math.abs(again.height - resized.height)).toBeLessThan(resized.height * 0.03);
    await screenshot(page, 'dashboard-05-resized');
  });

  it("renames a widget in place and exports its rows as CSV with the dashboard's filters", async () => {
    const table = widgetByTitle(/^Table View/);
    await table.getByTestId('widget-title').dblclick();
    const input = page.getByRole('textbox', { name: 'Widget title' });
    await input.fill('AAPL tape');
    const saved = page.waitForResponse(
      (r) => r.url().includes('/api/v1/widgets/') && r.request().method() === 'PATCH',
    );
    await input.press('Enter');
    expect((await saved).status()).toBe(200);
    await page.reload();
    await allWidgetsReady(['AAPL']);
    const renamed = widgetByTitle(/^AAPL tape$/);
    await expect.poll(() => renamed.count()).toBe(1);

    await renamed.getByRole('button', { name: 'Widget actions' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'Export CSV (all rows)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('AAPL tape.csv');
    const lines = (await readFile((await file.path())!, 'utf8')).trimEnd().split('\r\n');
    const symbol = lines[0]!.split(',').indexOf('symbol');
    expect(symbol).toBeGreaterThanOrEqual(0);
    // Every row of the filtered table, not the page the widget shows.
    const rows = Number(await renamed.getAttribute('data-rows'));
    expect(lines.length - 1).toBeGreaterThanOrEqual(rows);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[symbol]))).toEqual(new Set(['AAPL']));
  });

  it('opens a widget in the canvas with its node selected', async () => {
    await widgetByTitle(/^KPI/).getByRole('link', { name: 'Open in canvas' }).click();
    await page.waitForURL(new RegExp(`/canvas/[0-9a-f-]+\\?node=${ids.kpi}$`));
    await page.locator(`.react-flow__node.selected[data-id="${ids.kpi}"]`).waitFor();
    await page.getByTestId('config-panel').waitFor();
    await page.getByTestId('kpi-value').waitFor();
    await screenshot(page, 'dashboard-06-open-in-canvas');
    expect(dashboardUrl).toMatch(/\/dashboards\//);
  });
});
