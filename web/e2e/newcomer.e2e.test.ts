import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe.ts';
import { canvasHelpers } from './canvas-helpers.ts';
import { launchBrowser, screenshot, startEmbedded, type EmbeddedApp } from './harness.ts';

let app: EmbeddedApp;
let browser: Browser;
let page: Page;
let helpers: ReturnType<typeof canvasHelpers>;
/** Everything the browser logged as an error or threw: a newcomer's flow must leave this empty. */
const consoleErrors: string[] = [];

beforeAll(async () => {
  app = await startEmbedded();
  ({ browser, page } = await launchBrowser());
  helpers = canvasHelpers(page);
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const nodeIds = (type: string) =>
  page
    .locator(`[data-testid="node-${type}"]`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
/** React Flow names every edge "Edge from <source> to <target>". */
const edgeLabels = () =>
  page.locator('.react-flow__edge').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));

describe('a newcomer at 1024×700: template → change the symbol → bar chart → save', () => {
  it('opens “Daily OHLC candlesticks” from the gallery with the whole graph in view and no minimap', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(app.url);
    await page.getByRole('link', { name: /Daily OHLC candlesticks/ }).click();
    await page.waitForURL('**/canvas?template=daily-ohlc');
    await page.locator('[data-testid="chart"] canvas').waitFor();
    expect(await page.locator('.react-flow__minimap').count()).toBe(0);
    const pane = (await page.getByTestId('canvas').boundingBox())!;
    for (const node of await page.locator('.react-flow__node').all()) {
      const box = (await node.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(pane.x);
      expect(box.x + box.width).toBeLessThanOrEqual(pane.x + pane.width);
    }
    await screenshot(page, 'newcomer-01-template-1024x700');
  });

  it('changes the symbol filter to MSFT', async () => {
    await helpers.openNode('symbol');
    await page.getByLabel('Value 1').fill('MSFT');
    await expect
      .poll(() => page.locator('.react-flow__node[data-id="symbol"]').textContent())
      .toContain('MSFT');
    // The README's step 2: the preview below lists MSFT's days.
    await expect
      .poll(async () => {
        const rows = await helpers.gridRows();
        return rows.length > 0 && rows.every((r) => r.symbol === 'MSFT');
      })
      .toBe(true);
  });

  it('clicks Bar Chart in the palette with the Filter selected: a connected chart to its right', async () => {
    await page.getByTestId('palette-bar_chart').click();
    const [chart] = await nodeIds('bar_chart');
    expect(await edgeLabels()).toContain(`Edge from symbol to ${chart}`);
    const filterBox = (await page.locator('.react-flow__node[data-id="symbol"]').boundingBox())!;
    const chartBox = (await page.locator(`.react-flow__node[data-id="${chart}"]`).boundingBox())!;
    expect(chartBox.x).toBeGreaterThan(filterBox.x + filterBox.width);
    // Not set up yet: a hint for the next step, no error.
    expect(await page.getByTestId('config-issues').locator('li').allTextContents()).toEqual([
      '→ Choose the x-axis column',
      '→ Tick the values to plot',
    ]);
    expect(await page.getByTestId('node-error-badge').count()).toBe(0);

    await page.getByLabel('x', { exact: true }).selectOption('day');
    await page.getByLabel('close').check();
    await page.locator('[data-testid="chart"] canvas').waitFor();
    expect(await page.getByTestId('preview-stats').textContent()).toMatch(/\d+ rows/);
    await screenshot(page, 'newcomer-02-bar-chart-1024x700');
  });

  it('saves with “Saved” feedback and no console errors on the way', async () => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/canvas\/[^/?]+$/);
    await page.getByText('Saved version 1').waitFor();
    expect(consoleErrors).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'newcomer-03-saved-1440x900');
  });

  it('finds the saved workflow by searching the list, and duplicates it', async () => {
    await page.getByRole('link', { name: 'Workflows' }).click();
    const list = page.getByTestId('workflow-list');
    await list.getByRole('link', { name: 'Daily OHLC candlesticks' }).waitFor();
    await page.getByLabel('Search workflows').fill('ohlc');
    expect(await list.getByRole('link').allTextContents()).toEqual(['Daily OHLC candlesticks']);
    await list.getByRole('button', { name: 'Duplicate' }).click();
    await list.getByRole('link', { name: 'Copy of Daily OHLC candlesticks' }).waitFor();
    // A second copy of the same workflow gets a number instead of a name the list already shows.
    const original = list
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: 'Daily OHLC candlesticks', exact: true }) });
    await original.getByRole('button', { name: 'Duplicate' }).click();
    await list.getByRole('link', { name: 'Copy of Daily OHLC candlesticks (2)' }).waitFor();
    expect((await list.getByRole('link').allTextContents()).sort()).toEqual([
      'Copy of Daily OHLC candlesticks',
      'Copy of Daily OHLC candlesticks (2)',
      'Daily OHLC candlesticks',
    ]);
    await page.getByLabel('Search workflows').fill('nothing like this');
    expect(await list.getByRole('link').count()).toBe(0);
  });
});

describe('connecting in one gesture', () => {
  it('adds a Filter connected to the selected Data Source by clicking it in the palette', async () => {
    await page.goto(`${app.url}/canvas`);
    await page.getByText('Click or drag a Data Source from the palette to start.').waitFor();
    expect(await page.getByRole('link', { name: 'start from a template' }).getAttribute('href')).toBe(
      '/#templates-heading',
    );
    await page.getByTestId('palette-data_source').click();
    const [source] = await nodeIds('data_source');
    expect(await page.getByTestId('config-issues').textContent()).toBe('→ Choose a table');
    await page.getByLabel('Table', { exact: true }).selectOption('flowforge.raw_trades');
    await page.getByTestId('palette-filter').click();
    const [filter] = await nodeIds('filter');
    expect(await edgeLabels()).toEqual([`Edge from ${source} to ${filter}`]);
    await screenshot(page, 'connect-01-palette-click');
  });

  it('drags from an output onto empty canvas and picks Sort from the quick-add menu', async () => {
    const [filter] = await nodeIds('filter');
    const handle = page.getByRole('button', { name: 'Filter output', exact: true });
    const from = (await handle.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 120, from.y + 140, { steps: 8 });
    await page.mouse.up();
    const menu = page.getByTestId('quick-add');
    await menu.waitFor();
    // An output feeds nodes that take an input: never a Data Source.
    expect(await menu.getByTestId('quick-add-data_source').count()).toBe(0);
    await screenshot(page, 'connect-02-quick-add');
    await page.getByLabel('Search nodes to add').fill('sor');
    await page.keyboard.press('Enter');
    await expect.poll(() => nodeIds('sort')).toHaveLength(1);
    const [sort] = await nodeIds('sort');
    expect(await edgeLabels()).toContain(`Edge from ${filter} to ${sort}`);
    const sortBox = (await page.locator(`.react-flow__node[data-id="${sort}"]`).boundingBox())!;
    expect(Math.abs(sortBox.x - (from.x + 120))).toBeLessThan(40);
  });

  it('labels the Join inputs L and R and names every handle', async () => {
    await page.getByTestId('palette-join').click();
    const [join] = await nodeIds('join');
    const labels = await page
      .locator(`.react-flow__node[data-id="${join}"] .react-flow__handle`)
      .evaluateAll((els) => els.map((e) => [e.getAttribute('aria-label'), e.textContent]));
    expect(labels).toEqual([
      ['Join left input', 'L'],
      ['Join right input', 'R'],
      ['Join output', ''],
    ]);
  });

  it('saves an unfinished workflow and says which nodes still need attention', async () => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/canvas\/[^/?]+$/);
    expect(await page.getByTestId('toast').textContent()).toBe(
      'Saved version 1, but 2 nodes need attention: Sort: Add a sort key; Join: Connect a node to the right input (R)',
    );
    await screenshot(page, 'connect-03-saved-unfinished');
  });
});

describe('a layout that fits', () => {
  it('collapses the preview and remembers it across a reload; the divider resizes it', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(`${app.url}/canvas?template=vwap-by-symbol`);
    await page.locator('[data-testid="chart"] canvas').waitFor();
    const before = (await page.getByTestId('canvas').boundingBox())!;
    await page.getByTestId('preview-toggle').click();
    const collapsed = (await page.getByTestId('canvas').boundingBox())!;
    expect(collapsed.height).toBeGreaterThan(before.height + 150);
    await page.reload();
    await page.getByTestId('preview-toggle').waitFor();
    expect(await page.getByTestId('preview-toggle').getAttribute('aria-expanded')).toBe('false');
    await page.getByTestId('preview-toggle').click();

    const divider = page.getByTestId('preview-divider');
    const box = (await divider.boundingBox())!;
    await page.mouse.move(box.x + 100, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 100, box.y + 150, { steps: 5 });
    await page.mouse.up();
    expect(Number(await divider.getAttribute('aria-valuenow'))).toBeLessThan(25);
    await screenshot(page, 'layout-01-small-preview-1024x700');
  });

  it('hides the minimap below 1280 px and shows it on request', async () => {
    expect(await page.locator('.react-flow__minimap').count()).toBe(0);
    await page.getByTestId('toggle-minimap').click();
    await page.locator('.react-flow__minimap').waitFor();
  });

  it('routes an edge to a node moved left of its input round under both nodes, with an arrowhead', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.url}/canvas?template=vwap-by-symbol`);
    await page.locator('[data-testid="chart"] canvas').waitFor();
    const edge = page.locator(
      '.react-flow__edge[aria-label="Edge from vwap to chart"] path.react-flow__edge-path',
    );
    expect(await edge.getAttribute('marker-end')).toMatch(/^url\(/);
    // Drag the chart under the graph's first node: it now sits left of its input (the VWAP formula).
    const chart = page.locator('.react-flow__node[data-id="chart"]');
    const from = (await chart.boundingBox())!;
    const trades = (await page.locator('.react-flow__node[data-id="trades"]').boundingBox())!;
    await page.mouse.move(from.x + 30, from.y + 12);
    await page.mouse.down();
    await page.mouse.move(trades.x + 30, trades.y + trades.height + 120, { steps: 10 });
    await page.mouse.up();
    const moved = (await chart.boundingBox())!;
    const vwap = (await page.locator('.react-flow__node[data-id="vwap"]').boundingBox())!;
    expect(moved.x + moved.width).toBeLessThan(vwap.x);
    // The edge leaves the formula to the right, passes under both nodes and enters the chart from its left.
    const route = (await edge.boundingBox())!;
    expect(route.x).toBeLessThan(moved.x);
    expect(route.x + route.width).toBeGreaterThan(vwap.x + vwap.width);
    expect(route.y + route.height).toBeGreaterThan(Math.max(moved.y + moved.height, vwap.y + vwap.height));
    await screenshot(page, 'layout-03-backward-edge-1440x900');
  });
});

describe('a join on several key pairs', () => {
  it('adds a second pair (every pair must match), reads it in the node and the SQL, and removes it', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.url}/canvas?template=notional-by-sector`);
    await page.locator('[data-testid="chart"] canvas').waitFor();
    await helpers.openNode('join');
    const node = page.locator('.react-flow__node[data-id="join"]');
    expect(await node.getAttribute('aria-label')).toBe('Join node: INNER on symbol = symbol');
    await page.getByRole('button', { name: '+ Add key pair' }).click();
    // A half-chosen pair is a next step, not an error.
    await page.getByLabel('Left key 2').selectOption('side');
    await expect.poll(() => node.textContent()).toContain('Choose the right column of key pair 2');
    await page.getByLabel('Right key 2').selectOption('exchange');
    await expect
      .poll(() => node.getAttribute('aria-label'))
      .toBe('Join node: INNER on symbol = symbol, side = exchange');
    // A side (BUY/SELL) is never an exchange: with both pairs required no trade matches.
    await helpers.openNode('chart');
    await page.getByTestId('chart-empty').waitFor();
    await page.getByRole('tab', { name: 'SQL' }).click();
    expect(await page.getByTestId('preview-panel').textContent()).toMatch(
      /ON .*"symbol" = .*"symbol"\s+AND .*"side" = .*"exchange"/s,
    );
    await screenshot(page, 'join-01-two-key-pairs-1440x900');
    await page.getByRole('tab', { name: 'Chart' }).click();
    await helpers.openNode('join');
    await page.getByTestId('join-key-pair').nth(1).getByRole('button', { name: 'Remove' }).click();
    await helpers.openNode('chart');
    await page.locator('[data-testid="chart"] canvas').waitFor();
  });

  it('fits the key pairs in the settings panel at 1024×700', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await helpers.openNode('join');
    await page.getByRole('button', { name: '+ Add key pair' }).click();
    const panel = (await page.getByTestId('config-panel').boundingBox())!;
    for (const select of await page.getByTestId('join-key-pair').locator('select').all()) {
      const box = (await select.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(panel.x + panel.width);
    }
    await screenshot(page, 'join-02-key-pairs-1024x700');
  });
});

describe('new dashboard from template', () => {
  const readyWidgets = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="widget"]')]
        .filter((c) => c.getAttribute('data-state') === 'ready')
        .map((c) => c.getAttribute('aria-label')),
    );
  const overview = ['Total notional traded', 'VWAP by symbol', 'Spread monitor', 'Daily OHLC candlesticks'];

  it('creates “Market overview” from the dashboard list at 1440×900: four saved workflows, four widgets drawn', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.url}/dashboards`);
    await page.getByRole('button', { name: 'New dashboard from template' }).click();
    await page.waitForURL(/\/dashboards\/[^/?]+$/);
    await expect.poll(readyWidgets, { timeout: 30_000 }).toHaveLength(4);
    expect((await readyWidgets()).sort()).toEqual([...overview].sort());
    await expect
      .poll(() => page.locator('[data-testid="widget"] [data-testid="chart"] canvas').count())
      .toBe(3);
    expect(await page.getByTestId('kpi-value').textContent()).toMatch(/\d/);
    // The KPI sits left of the wide VWAP chart on the first row.
    const kpi = (await page.getByRole('region', { name: 'Total notional traded' }).boundingBox())!;
    const vwap = (await page.getByRole('region', { name: 'VWAP by symbol' }).boundingBox())!;
    expect(Math.abs(kpi.y - vwap.y)).toBeLessThan(5);
    expect(vwap.width).toBeGreaterThan(kpi.width * 1.5);
    await screenshot(page, 'starter-dashboard-01-1440x900');
    await page.goto(`${app.url}/`);
    for (const name of overview) await page.getByRole('link', { name, exact: true }).first().waitFor();
  });

  it('creates it from the template gallery at 1024×700', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(`${app.url}/`);
    await page.getByTestId('template-gallery').waitFor();
    await page.getByRole('button', { name: 'New dashboard from template' }).click();
    await page.waitForURL(/\/dashboards\/[^/?]+$/);
    await expect.poll(readyWidgets, { timeout: 30_000 }).toHaveLength(4);
    // The notional total shrinks to fit its narrow tile instead of running past the edge.
    const tile = (await page.getByRole('region', { name: 'Total notional traded' }).boundingBox())!;
    const value = (await page.getByTestId('kpi-value').boundingBox())!;
    expect(value.x).toBeGreaterThanOrEqual(tile.x);
    expect(value.x + value.width).toBeLessThanOrEqual(tile.x + tile.width);
    await screenshot(page, 'starter-dashboard-02-1024x700');
    // The second use of the template: its workflows and the dashboard are numbered, not named like the first's.
    expect(await page.getByTestId('dashboard-name').textContent()).toBe('Market overview (2)');
    await page.goto(`${app.url}/`);
    for (const name of overview) await page.getByRole('link', { name: `${name} (2)`, exact: true }).waitFor();
  });
});

describe('the workflow list', () => {
  const listed = () => page.getByTestId('workflow-list').getByRole('link').allTextContents();

  it('sorts by name or last edit, and remembers the choice across a reload', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(`${app.url}/`);
    await page.getByTestId('workflow-list').waitFor();
    // The starter dashboard's four workflows were saved last, the KPI's among them.
    expect((await listed()).slice(0, 4)).toContain('Total notional traded (2)');
    await page.getByLabel('Sort workflows').selectOption('name');
    const byName = await listed();
    expect(byName.length).toBeGreaterThanOrEqual(6);
    expect(byName).toEqual(
      [...byName].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' })),
    );
    await screenshot(page, 'workflow-list-sorted-by-name-1024x700');
    await page.reload();
    await page.getByTestId('workflow-list').waitFor();
    expect(await page.getByLabel('Sort workflows').inputValue()).toBe('name');
    expect(await listed()).toEqual(byName);
  });
});

describe('keyboard', () => {
  it('moves between named nodes with Tab and opens one’s settings with Enter', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.url}/canvas?template=daily-ohlc`);
    await page.locator('[data-testid="chart"] canvas').waitFor();
    const names = await page
      .locator('.react-flow__node')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(names).toEqual([
      'Data Source node: metrics.daily_rollup',
      'Filter node: symbol = "AAPL"',
      'Candlestick node: day OHLC',
    ]);
    await page.locator('.react-flow__node[data-id="daily"]').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Filter node: symbol = "AAPL"',
    );
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('config-panel').locator('h2').textContent()).toContain('Filter');
  });
});

describe('accessibility (axe-core)', () => {
  it.each([
    ['the workflow list', '/'],
    ['the canvas with a template', '/canvas?template=vwap-by-symbol'],
  ])('finds no serious or critical violations on %s', async (_name, path) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.url}${path}`);
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
  });
});
