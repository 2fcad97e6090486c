import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { parseConfig } from './config.ts';
import { createNodeDeps } from './node-deps.ts';
import { nodeExecutionContext } from './middleware/wait-until/index.ts';
import { servedByApp, webAppHandler } from './web-app.ts';

/** Node entry (`npm start -w edge`, built by scripts/run-built.mjs). Migrates, then serves until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const node = await createNodeDeps(config, { migrate: true });
  const app = createApp(node.deps);
  // The embed chart renderer (ECharts, ~0.5–0.9 s of module loading) is imported lazily so `npm start` stays quick; a
  // server for customers' embeds loads it before it takes traffic, so no one's first chart waits for it.
  await import('./charts/svg.ts');
  const web = config.WEB_DIST ? webAppHandler(config.WEB_DIST) : null;
  // Under @hono/node-server `c.env` would be Node's request objects; our bindings travel in `deps`, so pass nothing.
  const fetch = (req: Request) =>
    web && !servedByApp(new URL(req.url).pathname) ? web(req) : app.fetch(req, {}, nodeExecutionContext);
  const server = serve({ fetch, port: config.PORT, hostname: config.HOST }, (info) =>
    console.log(`flowforge edge on http://${info.address}:${info.port} (${config.APP_ENV})`),
  );
  const stop = () => {
    server.close();
    void node.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
