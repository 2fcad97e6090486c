// A private copy of some stack services on free loopback ports, started and stopped by `scripts/stack` itself
// (STACK_STATE + STACK_PORTS), for tests that must kill services without touching the shared stack.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';
import { STACK_HOST, UPSTASH_TOKEN } from './services.ts';

const run = promisify(execFile);
const STACK_SCRIPT = fileURLToPath(new URL('../stack', import.meta.url));

export type PrivateService = 'postgres' | 'redis' | 'clickhouse' | 'neon-proxy' | 'upstash';
const SERVICES: readonly PrivateService[] = ['postgres', 'redis', 'clickhouse', 'neon-proxy', 'upstash'];

export interface PrivateStack {
  ports: Record<PrivateService, number>;
  /** The edge's settings (config.ts names) pointing at this stack. */
  edgeEnv: Record<string, string>;
  /** SIGKILL the service's whole process group, as a crash would, and wait until the process is gone. */
  kill(service: PrivateService): Promise<void>;
  /** `scripts/stack up --only <service>`: returns once the service answers its readiness probe. */
  start(service: PrivateService): Promise<void>;
  down(): Promise<void>;
}

/** `services` = all five by default; e.g. `['clickhouse']` for an engine no other suite queues queries on. */
export async function startPrivateStack(
  services: readonly PrivateService[] = SERVICES,
): Promise<PrivateStack> {
  const state = await mkdtemp(join(tmpdir(), 'flowforge-private-stack-'));
  // PostgreSQL runs as user `postgres` when we are root: it must be able to enter the state directory.
  await chmod(state, 0o755);
  const ports = Object.fromEntries(
    await Promise.all(SERVICES.map(async (service) => [service, await freePort()] as const)),
  ) as Record<PrivateService, number>;
  const env = {
    ...process.env,
    STACK_STATE: state,
    STACK_PORTS: SERVICES.map((service) => `${service}=${ports[service]}`).join(' '),
  };
  const stack = async (...args: string[]) => {
    await run('bash', [STACK_SCRIPT, ...args], { env, timeout: 120_000 });
  };
  const pidOf = async (service: PrivateService) =>
    Number((await run('bash', [STACK_SCRIPT, 'pid', service], { env })).stdout.trim());

  await stack('up', '--only', services.join(','));
  return {
    ports,
    edgeEnv: {
      DATABASE_URL: `postgres://postgres@${STACK_HOST}:${ports.postgres}/flowforge`,
      NEON_WS_PROXY: `${STACK_HOST}:${ports['neon-proxy']}`,
      CLICKHOUSE_URL: `http://${STACK_HOST}:${ports.clickhouse}`,
      UPSTASH_REDIS_REST_URL: `http://${STACK_HOST}:${ports.upstash}`,
      UPSTASH_REDIS_REST_TOKEN: UPSTASH_TOKEN,
    },
    async kill(service) {
      const pid = await pidOf(service);
      process.kill(-pid, 'SIGKILL');
      // A restart before the old process is reaped would find its pid alive (PostgreSQL's lock file check).
      const deadline = Date.now() + 10_000;
      while (alive(pid)) {
        if (Date.now() > deadline) throw new Error(`${service} (pid ${pid}) survived SIGKILL for 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    start: (service) => stack('up', '--only', service),
    async down() {
      await stack('down');
      await rm(state, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
