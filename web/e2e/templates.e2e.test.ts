import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startEmbedded, type EmbeddedApp } from './harness.ts';

let app: EmbeddedApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startEmbedded();
  ({ browser, page } = await launchBrowser());
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail')
    await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('a newcomer starts from a template', () => {
  it('sees the template gallery on the empty workflow list, at both screen sizes', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(app.url);
    const gallery = page.getByTestId('template-gallery');
    await gallery.waitFor();
    expect(await gallery.getByRole('link').count()).toBeGreaterThanOrEqual(8);
    await screenshot(page, 'templates-01-gallery-1024x700');
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'templates-02-gallery-1440x900');
  });

  it('opens “VWAP by symbol” as an unsaved copy whose bar chart renders', async () => {
    await page.getByRole('link', { name: /VWAP by symbol/ }).click();
    await page.waitForURL('**/canvas?template=vwap-by-symbol');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4);
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('VWAP by symbol');
    await page.locator('[data-testid="chart"] canvas').waitFor();
    await screenshot(page, 'templates-03-vwap-chart');
  });

  it('opens “Top movers” with its sorted table preview, then saves it as a workflow', async () => {
    await page.goto(`${app.url}/canvas?template=top-movers`);
    await page.getByTestId('table-browser').locator('[role="cell"]').first().waitFor();
    const changes = await page.evaluate(() => {
      const grid = document.querySelector('[data-testid="preview-panel"] [role="table"]')!;
      const headers = [...grid.querySelectorAll('[role="columnheader"]')].map(
        (h) => h.firstChild?.textContent?.replace(/ [▲▼]$/, '') ?? '',
      );
      const at = headers.indexOf('change_pct');
      return [...grid.querySelectorAll('[role="row"]')]
        .map((r) => r.querySelectorAll('[role="cell"]')[at]?.textContent)
        .filter((t): t is string => t !== undefined)
        .map(Number);
    });
    // The latest day may be the simulator's young day, on which not every symbol has traded yet.
    expect(changes.length).toBeGreaterThanOrEqual(1);
    expect(changes.length).toBeLessThanOrEqual(10);
    expect(changes.every((c) => Number.isFinite(c))).toBe(true);
    expect([...changes].sort((a, b) => b - a)).toEqual(changes);
    await screenshot(page, 'templates-04-top-movers');

    await page.keyboard.press('Control+s');
    await page.waitForURL(/\/canvas\/[^/?]+$/);
    await page.getByText('Saved version 1').waitFor();
    await page.goto(app.url);
    await page
      .getByTestId('workflow-list')
      .getByRole('link', { name: 'Top movers of the latest day' })
      .waitFor();
  });

  it('says so when a template does not exist', async () => {
    await page.goto(`${app.url}/canvas?template=no-such-template`);
    await page.getByText('Cannot open this template: there is no template “no-such-template”').waitFor();
  });
});
