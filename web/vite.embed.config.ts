import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { join } from 'node:path';
import { defineConfig } from 'vite';

const OUT = join(import.meta.dirname, 'dist-embed');

// The embed page (`/embed/:widgetId`) and the SDK (`/embed/sdk.js`), built apart from the app into `dist-embed/`: a
// customer's frame loads React, the chart set and this page only. The edge serves the folder (Node: EMBED_DIST,
// Workers: the `[assets]` binding). `npm run build:embed` runs both modes: the page, then `--mode sdk`, a single ES
// module with no chunks of its own (customers import it from another origin). The script sets NODE_ENV=production:
// started from vitest or wrangler's [build] it would otherwise inherit `test` and ship React's development build.
export default defineConfig(({ mode }) =>
  mode === 'sdk'
    ? {
        publicDir: false,
        build: {
          outDir: OUT,
          emptyOutDir: false,
          lib: {
            entry: join(import.meta.dirname, 'src/embed-sdk/index.ts'),
            formats: ['es'],
            fileName: () => 'sdk.js',
          },
        },
      }
    : {
        root: join(import.meta.dirname, 'src/embed'),
        base: '/embed/',
        publicDir: false,
        plugins: [react(), tailwindcss()],
        // The manifest says which chunks a chart type pulls in: the embed bench adds up what each kind of embed downloads.
        build: { outDir: OUT, emptyOutDir: true, manifest: true },
      },
);
