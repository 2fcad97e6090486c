import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../scripts/stack-lib/free-port.ts';

// The Node entry exactly as deployed: `tsx edge/src/node.ts` in its own process, env from the environment, real HTTP.
const ENTRY = fileURLToPath(new URL('../node.ts', import.meta.url));

export interface NodeEntry {
  base: string;
  /** Everything the process printed so far (its log lines name request ids and internal errors). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the entry on a free port with `env` over this process's environment; resolves once it listens. */
export async function startNodeEntry(env: Record<string, string>): Promise<NodeEntry> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node entry did not start:\n${output}`)), 30_000);
    const poll = setInterval(() => {
      if (!output.includes('flowforge edge on')) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve();
    }, 20);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`node entry exited with ${code}:\n${output}`));
    });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
