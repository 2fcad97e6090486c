import { defineConfig } from 'vitest/config';

// Deployment as code and the cold path: every artifact rendered, synthesized or parsed by the real tool
// (kustomize, wrangler/Miniflare, dbt, Airflow), which `deploy-tools install` puts under .stack/ on first use.
export default defineConfig({
  test: {
    name: 'deploy',
    root: import.meta.dirname,
    include: ['deploy/**/*.test.ts'],
    globalSetup: ['deploy/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
