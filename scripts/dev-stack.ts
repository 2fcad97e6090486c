// `npm run dev:stack`: the deployed data plane on the local stack in one command — ClickHouse schema + historical seed
// (once), then the generator, the Kafka workers, the WebSocket fan-out, the edge on Node and the Vite web app, each a
// child process with its output prefixed. Ctrl-C stops them all. Needs `bash scripts/stack up` (run here first).
import { createClient } from '@clickhouse/client';
import { DEFAULT_DATABASES, migrate, tablesOf } from '@flowforge/pipeline/clickhouse';
import { progressBar } from '@flowforge/pipeline/cli/progress';
import { HISTORY_DEFAULTS, seedHistory } from '../pipeline/src/seed/historical.ts';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `Usage: npm run dev:stack -- [--trades-per-second 20] [--no-seed] [--no-web]

  Starts generator → Kafka → workers → ClickHouse + Redis → fan-out (ws://127.0.0.1:8081) and the edge
  (http://127.0.0.1:8787) against the local stack; with the web app on http://localhost:5173 (Vite, proxying
  /api to the edge and /ws to the fan-out). The first run seeds 6 months of history into ClickHouse.`;

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    'trades-per-second': { type: 'string', default: '20' },
    'no-seed': { type: 'boolean', default: false },
    'no-web': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const stackUp = spawnSync('bash', [join(root, 'scripts', 'stack'), 'up'], { stdio: 'inherit' });
if (stackUp.status !== 0) process.exit(stackUp.status ?? 1);

const clickhouse = createClient({ url: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123' });
await migrate(clickhouse);
if (!values['no-seed']) {
  const rs = await clickhouse.query({
    query: `SELECT count() AS n FROM ${tablesOf(DEFAULT_DATABASES).rawTrades} WHERE startsWith(trade_id, 'hist-')`,
    format: 'JSONEachRow',
  });
  const [{ n } = { n: 0 }] = await rs.json<{ n: string | number }>();
  if (Number(n) === 0) {
    const bar = progressBar('Seeding ClickHouse', process.stdout);
    const loaded = await seedHistory(clickhouse, {
      databases: DEFAULT_DATABASES,
      end: new Date(),
      ...HISTORY_DEFAULTS,
      onProgress: (done, total) => bar.update(done / total, `${done.toLocaleString('en-US')} trades`),
    });
    bar.done(`${loaded.toLocaleString('en-US')} trades`);
  }
}
await clickhouse.close();

const env = {
  ...process.env,
  APP_ENV: 'development',
  NEON_WS_PROXY: process.env.NEON_WS_PROXY ?? '127.0.0.1:5433',
  CORS_ORIGINS: 'http://localhost:5173,http://127.0.0.1:5173',
  KAFKA_LOG_LEVEL: process.env.KAFKA_LOG_LEVEL ?? 'nothing',
};
interface Service {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  vars?: Record<string, string>;
}
const tsx = (
  name: string,
  file: string,
  args: string[] = [],
  vars: Record<string, string> = {},
): Service => ({
  name,
  command: process.execPath,
  args: ['--import', 'tsx', join(root, file), ...args],
  vars,
});
const services: Service[] = [
  tsx('workers', 'dataplane/src/workers/main.ts'),
  tsx('fanout', 'dataplane/src/fanout/main.ts'),
  tsx('edge', 'edge/src/node.ts', [], { PORT: '8787' }),
  tsx('generator', 'pipeline/src/generator/main.ts', ['--trades-per-second', values['trades-per-second']]),
];
if (!values['no-web'])
  services.push({
    name: 'web',
    command: 'npx',
    args: ['vite', '--port', '5173', '--strictPort'],
    cwd: 'web',
  });

const children: ChildProcess[] = [];
for (const { name, command, args, cwd, vars } of services) {
  const child = spawn(command, args, {
    cwd: cwd ? join(root, cwd) : root,
    env: { ...env, ...vars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${name}]`.padEnd(12);
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) console.log(`${prefix}${line}`);
    });
  child.on('exit', (code) => console.log(`${prefix}exited (${code ?? 'signal'})`));
  children.push(child);
}
console.log(
  `\nFlowForge data plane running: edge http://127.0.0.1:8787, fan-out ws://127.0.0.1:8081${values['no-web'] ? '' : ', web http://localhost:5173 (dev tenant "dev": sign-in with X-Dev-Tenant in development)'}. Ctrl-C stops it.\n`,
);
const stop = () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
