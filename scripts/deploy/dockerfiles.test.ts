import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { matchesGlob } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DOCKERFILES,
  kustomizeBuild,
  packageScripts,
  parseYamlDocuments,
  readRepoFile,
  repoPath,
  ROOT,
} from './repo.ts';

// No Docker daemon here, so the images are never built: each Dockerfile is read instruction by instruction and held to
// what a build needs (every COPY source exists in the context and is not ignored, npm gets every manifest its lockfile
// names, `npm run` targets are real scripts) and to the rules we build by (multi-stage, pinned bases, non-root). The
// entries the images and manifests start are then run from the repository, as the image would run them.

interface Instruction {
  cmd: string;
  args: string;
}

function instructions(text: string): Instruction[] {
  const logical = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return logical
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [cmd, ...rest] = l.split(/\s+/);
      return { cmd: cmd!.toUpperCase(), args: rest.join(' ') };
    });
}

const stages = (ins: Instruction[]) => ins.filter((i) => i.cmd === 'FROM');
const finalStage = (ins: Instruction[]) => ins.slice(ins.map((i) => i.cmd).lastIndexOf('FROM'));
const copies = (ins: Instruction[]) =>
  ins
    .filter((i) => i.cmd === 'COPY' && !i.args.startsWith('--from'))
    .map((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')))
    .map((parts) => ({ sources: parts.slice(0, -1), dest: parts.at(-1)! }));
const ignored = readRepoFile('.dockerignore')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const isIgnored = (path: string) =>
  ignored.some((pattern) => matchesGlob(path, pattern) || matchesGlob(path, `${pattern}/**`));
const workspaces = (JSON.parse(readRepoFile('package.json')) as { workspaces: string[] }).workspaces;

describe.each(Object.keys(DOCKERFILES))('%s', (file) => {
  const ins = instructions(readRepoFile(file));

  it('is multi-stage on pinned base images', () => {
    expect(stages(ins).length).toBeGreaterThanOrEqual(2);
    for (const from of stages(ins)) {
      const image = from.args.split(/\s+/)[0]!;
      const tag = image.split(':')[1];
      expect(tag, image).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it('runs its final stage as a non-root user', () => {
    const users = finalStage(ins).filter((i) => i.cmd === 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1)!.args.split(':')[0]);
  });

  it('copies only paths that exist in the build context and are not ignored', () => {
    for (const { sources } of copies(ins)) {
      for (const src of sources) {
        expect(existsSync(repoPath(src)), `${src} exists`).toBe(true);
        expect(isIgnored(src.replace(/\/$/, '')), `${src} is not in .dockerignore`).toBe(false);
      }
    }
  });

  it('gives npm ci the lockfile and every workspace manifest, and installs real workspaces', () => {
    const ci = ins.findIndex((i) => i.cmd === 'RUN' && i.args.includes('npm ci'));
    expect(ci).toBeGreaterThan(0);
    const copiedBefore = copies(ins.slice(0, ci)).flatMap((c) => c.sources);
    for (const manifest of [
      'package.json',
      'package-lock.json',
      ...workspaces.map((w) => `${w}/package.json`),
    ]) {
      expect(copiedBefore, manifest).toContain(manifest);
    }
    for (const [, ws] of ins[ci]!.args.matchAll(/--workspace[= ](\S+)/g)) expect(workspaces).toContain(ws);
  });

  it('runs only scripts that exist in package.json', () => {
    const scripts = packageScripts();
    for (const run of ins.filter((i) => i.cmd === 'RUN')) {
      for (const [, script, ws] of run.args.matchAll(/npm run (\S+)(?: (?:-w|--workspace) (\S+))?/g)) {
        expect(scripts.get(ws ?? '')?.[script!], `npm run ${script} ${ws ?? ''}`).toBeDefined();
      }
    }
  });

  it('starts an entry that exists and is copied into the image', () => {
    const cmd = finalStage(ins).findLast((i) => i.cmd === 'CMD');
    if (!cmd) return expect(file).toBe('web/Dockerfile'); // nginx's own entrypoint serves the copied build
    const [entry] = JSON.parse(cmd.args) as string[];
    expect(existsSync(repoPath(entry!))).toBe(true);
    expect(copies(finalStage(ins)).some((c) => c.sources.some((s) => entry!.startsWith(s)))).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps installs, local state and git out of the build context', () => {
    for (const path of ['node_modules', 'web/node_modules', '.stack', '.git', '.flowforge', 'web/dist']) {
      expect(isIgnored(path), path).toBe(true);
    }
  });
});

describe('images and manifests', () => {
  type Container = { image: string; args?: string[]; command?: string[] };
  const containers = parseYamlDocuments<{
    spec?: { template?: { spec: { containers: Container[]; initContainers?: Container[] } } };
  }>(kustomizeBuild('k8s/overlays/dev')).flatMap((o) => [
    ...(o.spec?.template?.spec.containers ?? []),
    ...(o.spec?.template?.spec.initContainers ?? []),
  ]);
  const projectContainers = containers.filter((c) => c.image.startsWith('flowforge-'));

  it('builds every project image the manifests use, and every image has a manifest', () => {
    const used = new Set(projectContainers.map((c) => c.image.split(':')[0]));
    expect([...used].sort()).toEqual(Object.values(DOCKERFILES).sort());
  });

  it('starts manifest entries that the image copies and that exist', () => {
    const imageFile = Object.fromEntries(Object.entries(DOCKERFILES).map(([f, img]) => [img, f]));
    // Paths inside the image a command names (/app/…) are copied too.
    for (const c of projectContainers.filter((x) => x.command)) {
      const final = finalStage(instructions(readRepoFile(imageFile[c.image.split(':')[0]!]!)));
      for (const arg of c.command!.filter((a) => a.startsWith('/app/'))) {
        const path = arg.slice('/app/'.length).replace(/\/\.?$/, '');
        expect(existsSync(repoPath(path)), path).toBe(true);
        expect(
          copies(final).some((cp) => cp.sources.some((src) => path.startsWith(src))),
          path,
        ).toBe(true);
      }
    }
    for (const c of projectContainers.filter((x) => x.args)) {
      const entry = c.args![0]!;
      expect(existsSync(repoPath(entry)), entry).toBe(true);
      const final = finalStage(instructions(readRepoFile(imageFile[c.image.split(':')[0]!]!)));
      expect(
        copies(final).some((cp) => cp.sources.some((s) => entry.startsWith(s))),
        entry,
      ).toBe(true);
    }
  });

  it('runs the entries the images start: the pipeline CLI answers --help, the workers reject a bad role', () => {
    const tsx = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, ['--import', 'tsx', ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const cli = tsx(['pipeline/src/cli/main.ts', '--help']);
    expect(cli.stdout).toContain('migrate');
    expect(cli.status).toBe(0);
    const workers = tsx(['dataplane/src/workers/main.ts'], { WORKER_ROLES: 'nope' });
    expect(workers.stderr).toContain('unknown role "nope"');
    expect(workers.status).toBe(1);
  });
});
