// `npm run serve`: FlowForge against the local stack with real sign-in. Builds the web app when its sources changed,
// then runs the edge's Node entry (migrations first) serving the API and the web app on one origin. Needs
// `scripts/stack up --with-keycloak`; sign in at the printed URL as e.g. alpha-analyst-1 / flowforge.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ensureWebBuild, WEB_DIST } from '../dataplane/src/embedded/web-build.ts';
import { KEYCLOAK_URL } from './stack-lib/services.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '8788' } } });

try {
  await fetch(`${KEYCLOAK_URL}/realms/firm-alpha/.well-known/openid-configuration`);
} catch {
  console.error(`No Keycloak on ${KEYCLOAK_URL}: run scripts/stack up --with-keycloak first.`);
  process.exit(1);
}
await ensureWebBuild((line) => console.log(line));

Object.assign(process.env, {
  APP_ENV: 'production',
  // Embed tokens of this local server need not outlive it.
  EMBED_SIGNING_SECRET: process.env.EMBED_SIGNING_SECRET ?? randomBytes(32).toString('hex'),
  // The stack's realms' development secret of the service client (infra/keycloak), for the Members page.
  KEYCLOAK_SERVICE_SECRET: process.env.KEYCLOAK_SERVICE_SECRET ?? 'flowforge-service-dev-secret',
  WEB_DIST,
  PORT: values.port,
  NEON_WS_PROXY: process.env.NEON_WS_PROXY ?? '127.0.0.1:5433',
});
console.log(
  `FlowForge (stack mode) → http://127.0.0.1:${values.port}  sign in to firm-alpha or firm-beta, e.g. ` +
    'alpha-analyst-1 / flowforge (users: infra/keycloak/README.md)',
);
await import('../edge/src/node.ts');
