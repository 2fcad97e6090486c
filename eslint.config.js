import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/dist-embed/**',
      '.stack/**',
      '.flowforge/**',
      'cdk.out/**',
      '**/cdk.out/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Hono's `c.var` getter copies every variable of the request into a new object on each read (~50 µs per cache hit
    // over the dozen reads a request made); `c.get(name)` reads one.
    files: ['edge/src/**/*.ts', 'dataplane/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='c'][property.name='var']",
          message: "Use c.get('name'): Hono's c.var builds an object of all variables on every read.",
        },
      ],
    },
  },
  {
    // The engine is shared with the browser and the Worker: it must never reach for I/O or a framework.
    files: ['edge/src/workflow/**/*.ts'],
    ignores: [
      'edge/src/workflow/**/*.test.ts',
      'edge/src/workflow/**/*.bench.ts',
      'edge/src/workflow/cli/**',
      'edge/src/workflow/testing/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'hono',
                'hono/*',
                'react',
                'react-dom',
                '@duckdb/*',
                '@clickhouse/*',
                'pg',
                '@neondatabase/*',
                '@upstash/*',
                'kafkajs',
                'fs',
                'path',
              ],
              message: 'The workflow engine is pure: no I/O, no framework imports.',
            },
          ],
        },
      ],
    },
  },
);
