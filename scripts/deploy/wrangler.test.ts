import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS, parseConfig } from '@flowforge/edge/config';
import { unstable_readConfig, unstable_startWorker } from 'wrangler';
import { COMPATIBILITY_DATE } from '../../edge/src/test-support/workerd.ts';
import { repoPath } from './repo.ts';

// wrangler.toml read by wrangler itself (its own validation warnings count as failures), then the dev environment
// booted by wrangler's dev server (Miniflare/workerd) against the local stack.

// Offline hygiene: no metrics, no request.cf download, wrangler's config and logs under .stack/.
Object.assign(process.env, {
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  XDG_CONFIG_HOME: repoPath('.stack/wrangler-config'),
  WRANGLER_LOG_PATH: repoPath('.stack/wrangler-logs'),
});
const CONFIG = repoPath('wrangler.toml');

function readConfig(env: 'dev' | 'production') {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  try {
    return { config: unstable_readConfig({ config: CONFIG, env }, {}), warnings };
  } finally {
    console.warn = warn;
  }
}

describe.each(['dev', 'production'] as const)('wrangler.toml [env.%s]', (env) => {
  const { config, warnings } = readConfig(env);

  it('passes wrangler validation without warnings', () => {
    expect(warnings).toEqual([]);
    expect(config.main).toBe(repoPath('edge/src/worker.ts'));
  });

  it('uses the compatibility date of the workerd that tests and `wrangler dev` run', () => {
    expect(config.compatibility_date).toBe(COMPATIBILITY_DATE);
  });

  it('names only settings the app reads', () => {
    expect(Object.keys(config.vars).filter((n) => !CONFIG_KEYS.includes(n))).toEqual([]);
  });
});

describe('wrangler.toml [env.production]', () => {
  const { config } = readConfig('production');

  // The deploy workflow puts them as secrets (workflows.test.ts checks that list against the app's settings).
  it('holds no credential as a value', () => {
    expect(
      Object.keys(config.vars).filter((k) => /DATABASE_URL|MATERIALIZE_URL|PASSWORD|TOKEN|SECRET/.test(k)),
    ).toEqual([]);
    expect(config.vars).toMatchObject({ APP_ENV: 'production' });
    expect(JSON.stringify(config.vars)).not.toMatch(/127\.0\.0\.1|localhost/);
  });

  it("trusts one Keycloak realm per customer, each pinned to its tenant, as the app's own config reads it", () => {
    // The secrets come from the deploy workflow; a stand-in lets the production checks of parseConfig run.
    const parsed = parseConfig({ ...config.vars, EMBED_SIGNING_SECRET: 'x'.repeat(32) });
    expect(parsed.issuers.map((i) => [i.issuer, i.tenant])).toEqual([
      ['https://auth.flowforge.example/realms/firm-alpha', 'firm-alpha'],
      ['https://auth.flowforge.example/realms/firm-beta', 'firm-beta'],
    ]);
    expect(parsed.JWKS_URL).toContain('/realms/{realm}/');
  });

  it('deploys to a custom domain, not workers.dev', () => {
    expect(config.workers_dev).toBe(false);
    expect(config.routes).toEqual([{ pattern: 'api.flowforge.example', custom_domain: true }]);
  });
});

describe('wrangler dev --env dev', () => {
  let worker: Awaited<ReturnType<typeof unstable_startWorker>>;
  beforeAll(async () => {
    worker = await unstable_startWorker({
      config: CONFIG,
      env: 'dev',
      dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, watch: false, logLevel: 'warn' },
    });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.dispose();
  });

  it('boots the Worker, which reaches every store of the local stack', async () => {
    // Public health says only up/degraded; up means every dependency answered.
    const res = await worker.fetch(new URL('/health', await worker.url));
    expect(await res.json()).toEqual({ status: 'up' });
    expect(res.status).toBe(200);
  });

  it('builds the embed page and serves it and the SDK through the app, with the page headers', async () => {
    const sdk = await worker.fetch(new URL('/embed/sdk.js', await worker.url));
    expect(sdk.status).toBe(200);
    expect(sdk.headers.get('access-control-allow-origin')).toBe('*');
    expect(await sdk.text()).toContain('FlowForge');
    const page = await worker.fetch(new URL(`/embed/${crypto.randomUUID()}`, await worker.url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/^frame-ancestors 'none'; /);
    const html = await page.text();
    const script = /src="(\/embed\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await worker.fetch(new URL(script!, await worker.url))).status).toBe(200);
  });

  // The development sign-in is served on loopback hosts only, so the request goes to the server's own URL.
  it('runs in development mode (X-Dev-Tenant accepted)', async () => {
    const res = await worker.fetch(new URL('/api/v1/workflows', await worker.url), {
      headers: { 'X-Dev-Tenant': `wrangler-${process.pid}` },
    });
    expect(res.status).toBe(200);
  });
});
