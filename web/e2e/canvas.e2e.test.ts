import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canvasHelpers } from './canvas-helpers.ts';
import { launchBrowser, screenshot, startEmbedded, type EmbeddedApp } from './harness.ts';

let app: EmbeddedApp;
let browser: Browser;
let page: Page;
let dropNode: ReturnType<typeof canvasHelpers>['dropNode'];
let connect: ReturnType<typeof canvasHelpers>['connect'];
let edgeDrawn: ReturnType<typeof canvasHelpers>['edgeDrawn'];
let openNode: ReturnType<typeof canvasHelpers>['openNode'];
let gridRows: ReturnType<typeof canvasHelpers>['gridRows'];

beforeAll(async () => {
  app = await startEmbedded();
  console.log(`embedded mode ready in ${(app.startupMs / 1000).toFixed(1)} s (fresh data dir)`);
  ({ browser, page } = await launchBrowser());
  ({ dropNode, connect, edgeDrawn, openNode, gridRows } = canvasHelpers(page));
});

// A failing step leaves a picture of what the user would have seen.
afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('a newcomer builds Data Source → Filter → Sort → Table View', () => {
  let source: string;
  let workflowUrl: string;

  it('opens the workflow list with the automatic dev login and starts a new workflow', async () => {
    await page.goto(app.url);
    await page.getByTestId('dev-login').waitFor();
    expect(await page.getByTestId('dev-login').textContent()).toContain('signed in automatically');
    // The simulator's ticks arrive over /ws/market within a couple of seconds.
    const firstTick = page.getByTestId('live-ticker').locator('[data-testid^="tick-"]').first();
    await firstTick.waitFor();
    expect(await firstTick.textContent()).toMatch(/^[A-Z]+ [\d,]+\.\d{2}$/);
    await screenshot(page, '01-workflow-list');
    await page.getByRole('button', { name: '+ New workflow' }).click();
    await page.waitForURL('**/canvas');
    await page.getByText('Click or drag a Data Source from the palette to start.').waitFor();
  });

  it('drags a Data Source and picks flowforge.raw_trades', async () => {
    source = await dropNode('data_source', 120, 120);
    await page.getByLabel('Table', { exact: true }).selectOption('flowforge.raw_trades');
    await expect
      .poll(() => page.locator(`.react-flow__node[data-id="${source}"]`).textContent())
      .toContain('flowforge.raw_trades');
    await page.getByTestId('preview-stats').waitFor();
    // The whole tape's size beside the 100 rows shown: the seed's 655 000 trades plus what the simulator added since.
    const shown = await page.getByTestId('preview-rows').textContent();
    expect(shown).toMatch(/^100 of [\d,]+ rows$/);
    expect(Number(shown!.split(' ')[2]!.replaceAll(',', ''))).toBeGreaterThanOrEqual(655_000);
    await screenshot(page, '02-data-source');
  });

  it('filters symbol = AAPL, sorts by event_time DESC and previews only AAPL rows, newest first', async () => {
    // Each node is dropped with the previous one selected: it comes connected after it.
    const filter = await dropNode('filter', 420, 120);
    await edgeDrawn(source, filter);
    await openNode(filter);
    await page.getByRole('button', { name: '+ Add condition' }).click();
    await page.getByLabel('Column 1').selectOption('symbol');
    await page.getByLabel('Operator 1').selectOption('=');
    await page.getByLabel('Value 1').fill('AAPL');

    const sort = await dropNode('sort', 720, 120);
    await edgeDrawn(filter, sort);
    await openNode(sort);
    await page.getByRole('button', { name: '+ Add sort key' }).click();
    await page.getByLabel('Sort column 1').selectOption('event_time');
    await page.getByLabel('Direction 1').selectOption('DESC');
    await screenshot(page, '03-filter-sort');

    const view = await dropNode('table_view', 1000, 120);
    await edgeDrawn(sort, view);
    await openNode(view);
    await page.getByTestId('table-browser').locator('[role="cell"]').first().waitFor();
    const rows = await gridRows();
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(new Set(rows.map((r) => r.symbol))).toEqual(new Set(['AAPL']));
    const times = rows.map((r) => r.event_time!);
    expect([...times].sort().reverse()).toEqual(times);
    const range = await page.getByTestId('table-rows').textContent();
    expect(range).toMatch(/^rows 1–50 of [\d,]+$/);
    expect(Number(range!.split(' of ')[1]!.replaceAll(',', ''))).toBeGreaterThan(50);
    await screenshot(page, '04-table-view');
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, '04-table-view-1440x900');
    await page.setViewportSize({ width: 1600, height: 1000 });

    // Header click sorts the view only (ascending now), leaving the workflow's DESC sort untouched.
    await page.getByTitle('Sort by event_time').click();
    await expect.poll(async () => (await gridRows())[0]?.event_time).not.toBe(times[0]);
    const ascending = (await gridRows()).map((r) => r.event_time!);
    expect([...ascending].sort()).toEqual(ascending);
  });

  it('saves with Ctrl+S and restores the workflow after a reload', async () => {
    await page.getByLabel('Workflow name').fill('AAPL tape');
    await page.keyboard.press('Control+s');
    await page.waitForURL(/\/canvas\/[^/]+$/);
    await page.getByText('Saved version 1').waitFor();
    workflowUrl = page.url();
    await page.reload();
    await page.locator('.react-flow__node').nth(3).waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(4);
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('AAPL tape');
    expect(await page.getByTestId('unsaved').count()).toBe(0);
    await screenshot(page, '05-restored');
  });

  it('renders an ECharts canvas for Group By → Bar Chart', async () => {
    await page.goto(workflowUrl);
    await page.locator('.react-flow__node').nth(3).waitFor();
    const groupBy = await dropNode('group_by', 420, 380);
    await connect(source, groupBy);
    await openNode(groupBy);
    await page.getByRole('checkbox', { name: /^symbol/ }).check();
    await page.getByRole('button', { name: '+ Add aggregation' }).click();
    // A Group By's preview comes ordered by its keys (no Sort node needed).
    await expect.poll(async () => (await gridRows()).length).toBeGreaterThan(3);
    const symbols = (await gridRows()).map((r) => r.symbol!);
    expect(new Set(symbols).size).toBe(symbols.length);
    expect([...symbols].sort()).toEqual(symbols);
    await screenshot(page, '06a-group-by-sorted');
    const bar = await dropNode('bar_chart', 720, 380);
    await edgeDrawn(groupBy, bar);
    await openNode(bar);
    await page.getByLabel('x', { exact: true }).selectOption('symbol');
    await page.getByRole('checkbox', { name: /^count/ }).check();
    await page.locator('[data-testid="chart"] canvas').waitFor();
    expect(await page.locator('[data-testid="chart"] canvas').count()).toBeGreaterThan(0);
    await screenshot(page, '06-bar-chart');
  });

  it('shows the engine error badge on a broken formula', async () => {
    const formula = await dropNode('formula', 160, 470);
    await connect(source, formula);
    await openNode(formula);
    await page.getByRole('button', { name: '+ Add formula' }).click();
    await page.getByLabel('Expression 1').fill('[price] *');
    const badge = page.locator(`.react-flow__node[data-id="${formula}"] [data-testid="node-error-badge"]`);
    await badge.waitFor();
    // Said once, next to the expression, in the formula's own words.
    const alert = page.getByTestId('formula').getByRole('alert');
    expect(await alert.textContent()).toMatch(/Unexpected end of formula at position 9/);
    await screenshot(page, '07-error-badge');
  });
});
