import { defineConfig } from 'vitest/config';

// Each workspace owns its test config; `npm test` runs them all against the stack that `scripts/stack up` started.
export default defineConfig({
  test: {
    projects: [
      '{scripts,edge,web,dataplane,pipeline,cdk}/vitest.config.ts',
      'web/vitest.e2e.config.ts',
      'scripts/vitest.deploy.config.ts',
    ],
  },
});
