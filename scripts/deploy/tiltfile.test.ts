import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DOCKERFILES,
  kustomizeBuild,
  packageScripts,
  parseYamlDocuments,
  readRepoFile,
  repoPath,
  type K8sObject,
} from './repo.ts';

// No Tilt and no cluster here: the Tiltfile (Starlark, whose syntax is a subset of Python's) is parsed with Python's
// ast module into its top-level calls, which are checked against the rendered dev overlay, the Dockerfiles, the
// repository's files and package.json scripts. The laptop scripts must refuse to run without Docker.

interface Call {
  fn: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

const DUMP_CALLS = `
import ast, json, sys
def value(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        if isinstance(node, ast.Call):
            return {"call": ast.unparse(node.func), "args": [value(a) for a in node.args],
                    "kwargs": {k.arg: value(k.value) for k in node.keywords}}
        if isinstance(node, ast.List):
            return [value(e) for e in node.elts]
        return {"expr": ast.unparse(node)}
calls = [n.value for n in ast.parse(open(sys.argv[1]).read()).body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)]
print(json.dumps([{"fn": ast.unparse(c.func), "args": [value(a) for a in c.args],
                   "kwargs": {k.arg: value(k.value) for k in c.keywords}} for c in calls]))
`;

const calls = JSON.parse(
  execFileSync('python3', ['-c', DUMP_CALLS, repoPath('Tiltfile')], { encoding: 'utf8' }),
) as Call[];
const byFn = (fn: string) => calls.filter((c) => c.fn === fn);
const dev = parseYamlDocuments<K8sObject>(kustomizeBuild('k8s/overlays/dev'));
const workloads = dev.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
type Nested = { call: string; args: unknown[]; kwargs: Record<string, unknown> };

describe('Tiltfile', () => {
  it('only talks to the k3d cluster of scripts/setup-cluster.sh and applies the dev overlay', () => {
    expect(byFn('allow_k8s_contexts').map((c) => c.args[0])).toEqual(['k3d-flowforge']);
    expect(readRepoFile('scripts/setup-cluster.sh')).toContain('CLUSTER_NAME=flowforge');
    expect(byFn('k8s_yaml').map((c) => c.args[0])).toEqual([
      { call: 'kustomize', args: ['k8s/overlays/dev'], kwargs: {} },
    ]);
  });

  it('configures exactly the workloads of the dev overlay, forwarding ports their containers declare', () => {
    const resources = byFn('k8s_resource');
    expect(resources.map((r) => r.args[0]).sort()).toEqual(workloads.map((w) => w.metadata.name).sort());
    for (const r of resources) {
      const w = workloads.find((x) => x.metadata.name === r.args[0]) as unknown as {
        spec: { template: { spec: { containers: { ports?: { containerPort: number }[] }[] } } };
      };
      const ports = w.spec.template.spec.containers.flatMap((c) =>
        (c.ports ?? []).map((p) => p.containerPort),
      );
      for (const forward of (r.kwargs.port_forwards as string[] | undefined) ?? []) {
        expect(ports, `${r.args[0] as string} ${forward}`).toContain(Number(forward.split(':')[1]));
      }
    }
  });

  it('builds every project image from its Dockerfile, live-updating the Node images into the paths they copy', () => {
    const builds = byFn('docker_build');
    expect(Object.fromEntries(builds.map((b) => [b.kwargs.dockerfile, b.args[0]]))).toEqual(DOCKERFILES);
    for (const b of builds.filter((x) => x.args[0] !== 'flowforge-web')) {
      const dockerfile = readRepoFile(b.kwargs.dockerfile as string);
      const syncs = (b.kwargs.live_update as Nested[]).filter((s) => s.call === 'sync');
      expect(syncs.length, b.args[0] as string).toBeGreaterThan(0);
      for (const { args } of syncs) {
        const [src, dest] = args as [string, string];
        expect(existsSync(repoPath(src)), src).toBe(true);
        expect(dest).toBe(`/app/${src}`);
        expect(dockerfile, `${b.kwargs.dockerfile as string} copies ${src}`).toMatch(
          new RegExp(`COPY --chown=node:node ${src} ${src}`),
        );
      }
      // node --watch restarts the process when a synced file changes.
      expect(b.kwargs.entrypoint).toEqual(['node', '--watch', '--import', 'tsx']);
    }
  });

  it('runs the edge as a Worker under wrangler dev, after migrating its metadata database', () => {
    const edge = byFn('local_resource').find((r) => r.args[0] === 'edge')!;
    expect(edge.kwargs.serve_cmd).toMatch(/^npx wrangler dev --env dev /);
    expect(edge.kwargs.resource_deps).toContain('migrate-metadata');
    const migrate = byFn('local_resource').find((r) => r.args[0] === 'migrate-metadata')!;
    expect(migrate.kwargs.cmd).toContain('npm run migrate -w edge');
  });

  it('offers the one-off jobs as manual resources whose commands exist', () => {
    const scripts = packageScripts();
    const manual = [...byFn('local_resource'), ...byFn('k8s_resource')].filter(
      (r) => r.kwargs.auto_init === false,
    );
    expect(manual.map((r) => r.args[0]).sort()).toEqual([
      'dbt-run',
      'health-check',
      'init-materialize',
      'seed-historical',
    ]);
    for (const r of manual) expect(r.kwargs.trigger_mode).toEqual({ expr: 'TRIGGER_MODE_MANUAL' });
    for (const r of byFn('local_resource')) {
      const cmd = (r.kwargs.cmd ?? r.kwargs.serve_cmd) as string;
      for (const [, script, ws] of cmd.matchAll(/npm run (\S+)(?: (?:-w|--workspace) (\S+))?/g)) {
        expect(scripts.get(ws ?? '')?.[script!], `${r.args[0] as string}: npm run ${script}`).toBeDefined();
      }
      for (const [path] of cmd.matchAll(/\b(?:scripts|edge|pipeline|dataplane)\/\S+\.(?:ts|sh)\b/g)) {
        expect(existsSync(repoPath(path)), path).toBe(true);
      }
      for (const [, path] of cmd.matchAll(/\bbash (\S+)/g))
        expect(existsSync(repoPath(path!)), path).toBe(true);
      for (const [, dir] of cmd.matchAll(/--project-dir (\S+)/g)) {
        expect(existsSync(repoPath(dir!, 'dbt_project.yml')), dir).toBe(true);
      }
      // Tools under .stack/ come from scripts/deploy-tools, which the same command installs first.
      if (cmd.includes('.stack/')) expect(cmd).toMatch(/^bash scripts\/deploy-tools install && /);
    }
  });

  it('depends only on resources it defines', () => {
    const defined = new Set([
      ...byFn('k8s_resource').map((r) => r.args[0]),
      ...byFn('local_resource').map((r) => r.args[0]),
    ]);
    for (const c of calls) {
      for (const dep of (c.kwargs.resource_deps as string[] | undefined) ?? []) {
        expect(defined.has(dep), `${c.args[0] as string} → ${dep}`).toBe(true);
      }
    }
  });
});

describe('laptop scripts', () => {
  it.each(['scripts/setup-cluster.sh', 'scripts/install-tools.sh'])(
    '%s stops with a clear message without Docker',
    (script) => {
      // An empty PATH for docker: only the shell's own tools remain.
      const res = spawnSync('bash', [repoPath(script)], {
        env: { PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
        encoding: 'utf8',
      });
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(/docker/i);
      expect(res.stdout).not.toMatch(/Creating k3d cluster|Installing/);
    },
  );
});
