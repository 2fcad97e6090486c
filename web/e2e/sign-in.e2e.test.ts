import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PASSWORD, keycloakReady } from '../../edge/src/test-support/keycloak.ts';
import { canvasHelpers } from './canvas-helpers.ts';
import { launchBrowser, screenshot, startStackMode, type EmbeddedApp } from './harness.ts';

// Real sign-in: the stack mode (edge Node entry + built web app) against the stack's Keycloak, through its login page.
const ready = await keycloakReady();

let app: EmbeddedApp;
let browser: Browser;
const pages: Page[] = [];
let current: Page | undefined;

/** A fresh browser profile (own storage) for one user. */
async function newUserPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  pages.push(page);
  current = page;
  return page;
}

/** From the app's tenant picker through Keycloak's own login form, back into the app. */
async function signIn(page: Page, tenant: 'firm-alpha' | 'firm-beta', username: string) {
  await page.goto(app.url);
  await page.getByRole('button', { name: `Sign in to ${tenant}` }).click();
  await page.waitForURL(/127\.0\.0\.1:8180\/realms\/.+\/protocol\/openid-connect\/auth/);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(DEV_PASSWORD);
  await page.locator('#kc-login').click();
  await page.waitForURL(`${app.url}/`);
  await expect.poll(() => page.getByTestId('user-menu').textContent()).toContain(`${username} · ${tenant}`);
}

/** The access token oidc-client-ts keeps in sessionStorage for this page's realm. */
const storedToken = (page: Page) =>
  page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
    return key ? (JSON.parse(sessionStorage.getItem(key)!) as { access_token: string }).access_token : null;
  });

describe.skipIf(!ready)('sign-in through Keycloak (stack mode)', () => {
  beforeAll(async () => {
    app = await startStackMode();
    console.log(`stack mode ready in ${(app.startupMs / 1000).toFixed(1)} s`);
    ({ browser } = await launchBrowser());
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && current)
      await screenshot(current, `failed-sign-in-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const name = `Alpha only ${crypto.randomUUID().slice(0, 8)}`;
  let workflowPath = '';

  it('a firm-alpha analyst signs in on Keycloak’s page, builds a workflow and saves it', async () => {
    const page = await newUserPage();
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Sign in to firm-alpha' }).waitFor();
    await screenshot(page, 'sign-in-01-tenant-picker');
    await signIn(page, 'firm-alpha', 'alpha-analyst-1');
    expect(await page.getByTestId('user-menu').textContent()).toContain('analyst');
    await page.getByRole('button', { name: '+ New workflow' }).click();
    await page.waitForURL('**/canvas');
    await canvasHelpers(page).dropNode('data_source', 160, 140);
    const table = page.getByLabel('Table', { exact: true });
    const first = await table.locator('option:not([value=""])').first().getAttribute('value');
    await table.selectOption(first!);
    await page.getByLabel('Workflow name').fill(name);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/canvas\/[0-9a-f-]{36}$/);
    workflowPath = new URL(page.url()).pathname;
    await screenshot(page, 'sign-in-02-alpha-saved');
    await page.goto(app.url);
    await page.getByRole('link', { name }).waitFor();
  });

  it('a firm-beta user cannot see it: not in the list, and its URL answers not found', async () => {
    const page = await newUserPage();
    await signIn(page, 'firm-beta', 'beta-admin-1');
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('link', { name }).count()).toBe(0);
    await page.goto(`${app.url}${workflowPath}`);
    await page.getByText('Could not open this workflow.').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/not found/i);
    await screenshot(page, 'sign-in-03-beta-not-found');
  });

  it('a firm-alpha viewer opens it read-only: no palette, no save, no pin, edits refused with a reason', async () => {
    const page = await newUserPage();
    await signIn(page, 'firm-alpha', 'alpha-viewer-1');
    expect(await page.getByRole('button', { name: '+ New workflow' }).isDisabled()).toBe(true);
    await page.goto(`${app.url}${workflowPath}`);
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByTestId('read-only').textContent()).toContain('your role (viewer) cannot edit');
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    expect(await page.locator('[data-testid^="palette-"]').count()).toBe(0);
    expect(await page.getByTestId('pin-to-dashboard').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await screenshot(page, 'sign-in-04-viewer-read-only');
  });

  it('a firm-alpha viewer reads a dashboard: filters for their own view, export, but no add, rename, remove or drag', async () => {
    // The analyst of the first test sets the dashboard up through the API with their own token.
    const token = await storedToken(pages[0]!);
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${app.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
      return (await res.json()) as T;
    };
    const workflowId = workflowPath.split('/').pop()!;
    const workflow = await call<{ graph: { nodes: { id: string }[] } }>(
      'GET',
      `/api/v1/workflows/${workflowId}`,
    );
    const dashboard = await call<{ id: string }>('POST', '/api/v1/dashboards', { name: `Board ${name}` });
    await call('POST', '/api/v1/widgets', {
      dashboard_id: dashboard.id,
      workflow_id: workflowId,
      output_node_id: workflow.graph.nodes[0]!.id,
      widget_type: 'table',
      config: { title: 'Source rows' },
    });

    const page = await newUserPage();
    await signIn(page, 'firm-alpha', 'alpha-viewer-1');
    await page.goto(`${app.url}/dashboards`);
    await page.getByRole('link', { name: `Board ${name}` }).waitFor();
    expect(await page.getByRole('button', { name: '+ New dashboard' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'New dashboard from template' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await page.getByRole('link', { name: `Board ${name}` }).click();
    await page.locator('[data-testid="widget"][data-state="ready"]').waitFor();
    // Pinned on the source node itself: drawn as a table.
    await page.getByTestId('data-table').waitFor();
    expect(await page.getByTestId('read-only').textContent()).toContain('Read-only');
    expect(await page.getByRole('button', { name: '+ Add widget' }).count()).toBe(0);
    expect(await page.locator('.react-resizable-handle').count()).toBe(0);
    await page.getByTestId('widget-title').dblclick();
    expect(await page.getByRole('textbox', { name: 'Widget title' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Widget actions' }).click();
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Export CSV (all rows)']);
    await screenshot(page, 'sign-in-05-viewer-dashboard');
  });

  it('renews the access token silently before it expires and keeps calling the API with the new one', async () => {
    const page = await newUserPage();
    await page.clock.install();
    await signIn(page, 'firm-alpha', 'alpha-analyst-2');
    const before = await storedToken(page);
    const refreshed = page.waitForRequest(
      (r) =>
        r.url().endsWith('/protocol/openid-connect/token') &&
        /grant_type=refresh_token/.test(r.postData() ?? ''),
    );
    // Keycloak's tokens live 5 minutes; oidc-client-ts renews one minute before expiry.
    await page.clock.fastForward('04:10');
    await refreshed;
    await expect.poll(() => storedToken(page)).not.toBe(before);
    const after = await storedToken(page);
    const call = page.waitForRequest((r) => r.url().endsWith('/api/v1/workflows'));
    await page.getByRole('link', { name: 'Dashboards' }).click();
    await page.getByRole('link', { name: 'Workflows' }).click();
    expect((await call).headers()['authorization']).toBe(`Bearer ${after}`);
    expect(page.url()).toBe(`${app.url}/`);
  });

  it('a rejected token sends the user back to Keycloak’s login page; signing out ends the session', async () => {
    const page = await newUserPage();
    await signIn(page, 'firm-alpha', 'alpha-admin-1');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Data access for everyone in this tenant' }).waitFor();
    await screenshot(page, 'sign-in-05-admin-acl');
    await page.getByRole('link', { name: 'Members', exact: true }).click();
    await page.getByTestId('members').getByRole('cell', { name: 'alpha-viewer-2', exact: true }).waitFor();
    expect(await page.getByTestId('members').textContent()).not.toContain('beta-');
    // Both tokens revoked (as after a password change): the next 401 cannot be renewed.
    await page.evaluate(() => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'))!;
      const user = JSON.parse(sessionStorage.getItem(key)!) as Record<string, unknown>;
      sessionStorage.setItem(
        key,
        JSON.stringify({ ...user, access_token: 'revoked', refresh_token: 'revoked' }),
      );
    });
    const toKeycloak = page.waitForRequest((r) =>
      r.url().startsWith('http://127.0.0.1:8180/realms/firm-alpha/protocol/openid-connect/auth'),
    );
    await page.getByRole('link', { name: 'Audit log' }).click();
    await toKeycloak;
    // Keycloak still has the browser session: it signs straight back in and returns to the page asked for.
    await page.waitForURL(`${app.url}/admin/audit`);
    await page.getByRole('button', { name: 'Export CSV' }).waitFor();
    await screenshot(page, 'sign-in-06-admin-audit');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in to firm-alpha' }).waitFor();
    await page.getByRole('button', { name: 'Sign in to firm-alpha' }).click();
    await page.locator('#username').waitFor();
  });
});
