import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '@flowforge/edge/config';
import { parse } from 'yaml';
import { RUNTIME_SECRET_KEYS } from '../../cdk/lib/data-plane-stack.ts';
import {
  DOCKERFILES,
  kustomizeBuild,
  packageScripts,
  parseYamlDocuments,
  readRepoFile,
  repoPath,
} from './repo.ts';

// GitHub Actions cannot run here: the workflows are parsed and every command they call is checked against the
// repository (package.json scripts, files, vitest projects, binaries), and the deploy chain against the artifacts it
// deploys (Dockerfiles, the prod overlay's images, the CDK stack's secret and outputs, the Worker's settings).

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  environment?: string;
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const load = (name: string) => parse(readRepoFile(`.github/workflows/${name}`)) as Workflow;
const jobRuns = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : []));
const runs = (wf: Workflow) => Object.values(wf.jobs).flatMap(jobRuns);

/** Every vitest project of `npm test`, by name. */
async function vitestProjects(): Promise<string[]> {
  const configs = readdirSync(repoPath('.'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
    .flatMap((d) =>
      readdirSync(repoPath(d.name))
        .filter((f) => /^vitest(\.\w+)?\.config\.ts$/.test(f))
        .map((f) => `${d.name}/${f}`),
    );
  const names = await Promise.all(
    configs.map(
      async (c) => ((await import(repoPath(c))) as { default: { test: { name: string } } }).default.test.name,
    ),
  );
  return names.sort();
}

function checkCommands(wf: Workflow): void {
  const scripts = packageScripts();
  for (const run of runs(wf)) {
    for (const [, script, ws] of run.matchAll(/npm run (\S+)(?: (?:-w|--workspace) (\S+))?/g)) {
      expect(scripts.get(ws ?? '')?.[script!], `npm run ${script} ${ws ?? ''}`).toBeDefined();
    }
    if (/\bnpm test\b/.test(run)) expect(scripts.get('')?.test).toBeDefined();
    for (const [, path] of run.matchAll(/\bbash (\S+)/g))
      expect(existsSync(repoPath(path!)), path).toBe(true);
    for (const [, bin] of run.matchAll(/\bnpx (?!--)(\S+)/g)) {
      expect(existsSync(repoPath('node_modules/.bin', bin!)), `npx ${bin}`).toBe(true);
    }
  }
}

describe('ci.yml', () => {
  const wf = load('ci.yml');

  it('has the typecheck, lint, unit, integration and Playwright jobs, running on pushes to main and pull requests', () => {
    expect(Object.keys(wf.jobs).sort()).toEqual(['e2e', 'integration', 'lint', 'typecheck', 'unit']);
    expect(wf.on).toHaveProperty('pull_request');
    expect(wf.on).toMatchObject({ push: { branches: ['main'] } });
  });

  it('runs every vitest project exactly once, the ones needing services through .ci/run (scripts/stack)', async () => {
    const projects = (run: string) => [...run.matchAll(/--project (\S+)/g)].map((m) => m[1]!);
    // The unit job runs `npm run test:unit`: its projects are in that script.
    const rootScripts = packageScripts().get('')!;
    const unit = jobRuns(wf.jobs.unit!)
      .map((r) => r.replace(/^npm run (\S+)$/, (_, name: string) => rootScripts[name] ?? r))
      .flatMap(projects);
    const integration = wf.jobs.integration!.strategy!.matrix.project as string[];
    const e2e = jobRuns(wf.jobs.e2e!).flatMap(projects);
    expect(jobRuns(wf.jobs.integration!)).toEqual(['bash .ci/run --project ${{ matrix.project }}']);
    expect(jobRuns(wf.jobs.e2e!)).toEqual(['bash .ci/run --project e2e']);
    expect([...unit, ...integration, ...e2e].sort()).toEqual(await vitestProjects());
    expect(readRepoFile('.ci/run')).toContain('"$@"');
  });

  it('calls only commands that exist', () => {
    checkCommands(wf);
    expect(runs(wf)).toEqual(expect.arrayContaining(['npm run typecheck', 'npm run lint']));
  });
});

describe('build-images.yml', () => {
  const wf = load('build-images.yml');

  it('builds every Dockerfile into the registry path the prod overlay pulls from', () => {
    const include = wf.jobs.image!.strategy!.matrix.include as { image: string; dockerfile: string }[];
    expect(Object.fromEntries(include.map((i) => [i.dockerfile, i.image]))).toEqual(DOCKERFILES);
    const build = wf.jobs.image!.steps.find((s) => s.uses?.startsWith('docker/build-push-action'))!;
    expect(build.with).toMatchObject({ context: '.', file: '${{ matrix.dockerfile }}', push: true });
    expect(build.with!.tags).toBe('ghcr.io/flowforge/${{ matrix.image }}:${{ github.sha }}');
    const prodImages = parseYamlDocuments<{
      spec?: { template?: { spec: { containers: { image: string }[] } } };
    }>(kustomizeBuild('k8s/overlays/prod'))
      .flatMap((o) => o.spec?.template?.spec.containers ?? [])
      .map((c) => c.image.split(':')[0]!)
      .filter((i) => i.startsWith('ghcr.io/'));
    expect(new Set(prodImages)).toEqual(new Set(include.map((i) => `ghcr.io/flowforge/${i.image}`)));
  });
});

describe('deploy.yml', () => {
  const wf = load('deploy.yml');
  const text = readRepoFile('.github/workflows/deploy.yml');

  it('deploys the edge with wrangler and the data plane with cdk then kubectl, every job behind manual approval', () => {
    expect(Object.keys(wf.jobs).sort()).toEqual(['dataplane', 'edge', 'infra']);
    for (const job of Object.values(wf.jobs)) expect(job.environment).toBe('production');
    expect(wf.jobs.dataplane!.needs).toBe('infra');
    expect(Object.keys(wf.on)).toEqual(['workflow_dispatch']);
    expect(runs(wf)).toEqual(
      expect.arrayContaining(['npx wrangler deploy --env production', 'npm run deploy -w cdk']),
    );
    checkCommands(wf);
  });

  it('puts the Worker credentials as secrets, each a setting the app reads', () => {
    const loop = runs(wf).find((r) => r.includes('wrangler secret put'))!;
    const names = loop.match(/for name in ([A-Z_ ]+); do/)![1]!.split(' ');
    expect(names.filter((n) => !CONFIG_KEYS.includes(n))).toEqual([]);
    expect(names).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'UPSTASH_REDIS_REST_TOKEN',
        'CLICKHOUSE_PASSWORD',
        'EMBED_SIGNING_SECRET',
      ]),
    );
  });

  it('reads the cluster and the runtime secret that the CDK stack creates, and pins the images to the commit', () => {
    const stack = readRepoFile('cdk/bin/flowforge.ts');
    expect(stack).toContain("'FlowForgeDataPlane'");
    expect(text).toContain('--stack-name FlowForgeDataPlane');
    expect(readRepoFile('cdk/lib/data-plane-stack.ts')).toContain("new CfnOutput(this, 'ClusterName'");
    expect(text).toContain("OutputKey=='ClusterName'");
    expect(readRepoFile('cdk/lib/data-plane-stack.ts')).toContain("secretName: 'flowforge/dataplane'");
    expect(text).toContain('--secret-id flowforge/dataplane');
    expect(text).toContain('create secret generic flowforge-secrets');
    // The pods read these keys from flowforge-secrets; the stack documents the same list on the secret.
    expect(RUNTIME_SECRET_KEYS).toEqual(
      expect.arrayContaining(['KAFKA_BROKERS', 'CLICKHOUSE_URL', 'DATABASE_URL']),
    );
    for (const image of Object.values(DOCKERFILES)) expect(text).toContain(image);
    expect(text).toContain('kustomize edit set image "$image=ghcr.io/flowforge/$image:${{ inputs.sha }}"');
  });
});
