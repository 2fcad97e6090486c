import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { kustomizeBuild, parseYamlDocuments, toolPath, type K8sObject } from './repo.ts';

// Both overlays rendered by the real kustomize, every object decoded strictly into its Kubernetes API type
// (scripts/k8s-validate: unknown fields, wrong types, bad quantities) and checked against the OpenAPI schema
// (kubernetes-models: required fields, enums), then the invariants a cluster would only reveal at run time.

interface Probe {
  httpGet?: { port: string | number };
  tcpSocket?: { port: string | number };
  exec?: { command: string[] };
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  securityContext?: { allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
}
interface Workload extends K8sObject {
  spec: {
    selector?: { matchLabels: Record<string, string> };
    template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
  };
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job']);
/** Containers without a port to probe: they exit when they cannot go on, and Kubernetes restarts them. */
const NO_LIVENESS = new Set(['workers', 'generator']);
/** What the prod overlay autoscales and protects from drains. */
const SCALED = ['fanout', 'workers'];
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|_KEY$/;

function render(overlay: 'dev' | 'prod'): K8sObject[] {
  return parseYamlDocuments<K8sObject>(kustomizeBuild(`k8s/overlays/${overlay}`));
}
const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const workloads = (objects: K8sObject[]) => objects.filter((o) => WORKLOAD_KINDS.has(o.kind)) as Workload[];
const longLived = (objects: K8sObject[]) => workloads(objects).filter((w) => w.kind !== 'Job');
const podSpec = (w: Workload) => w.spec.template.spec;
const allContainers = (w: Workload) => [...podSpec(w).containers, ...(podSpec(w).initContainers ?? [])];
const names = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

async function schemaErrors(o: K8sObject): Promise<string | null> {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  const path = group ? `${group}/${version}/${o.kind}` : `${version}/${o.kind}`;
  const mod = (await import(/* @vite-ignore */ `kubernetes-models/${path}`)) as Record<
    string,
    new (d: unknown) => { validate(): void }
  >;
  const Model = mod[o.kind];
  if (!Model) return `no schema for ${o.apiVersion} ${o.kind}`;
  try {
    new Model(o).validate();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

describe.each(['dev', 'prod'] as const)('k8s overlay %s', (overlay) => {
  const objects = render(overlay);

  it('decodes strictly into the Kubernetes API types', () => {
    const text = kustomizeBuild(`k8s/overlays/${overlay}`);
    let out: string;
    try {
      out = execFileSync(toolPath('k8s-validate'), { input: text, encoding: 'utf8' });
    } catch (e) {
      throw new Error(`k8s-validate rejected the render:\n${(e as { stdout: string }).stdout}`);
    }
    const results = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; error?: string });
    expect(results).toHaveLength(objects.length);
    expect(results.filter((r) => r.error)).toEqual([]);
  });

  it('matches the Kubernetes OpenAPI schemas', async () => {
    const errors = (
      await Promise.all(objects.map(async (o) => [names([o])[0], await schemaErrors(o)]))
    ).filter(([, e]) => e !== null);
    expect(errors).toEqual([]);
  });

  it('puts everything in the flowforge namespace', () => {
    const clusterScoped = new Set(['Namespace', 'IngressClass']);
    expect(objects.filter((o) => !clusterScoped.has(o.kind) && o.metadata.namespace !== 'flowforge')).toEqual(
      [],
    );
  });

  it('gives every long-lived container readiness and liveness probes on ports it declares', () => {
    for (const w of longLived(objects)) {
      for (const c of podSpec(w).containers) {
        const declared = new Set((c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
        // The exemption list stays true: an exempt container that gains a liveness probe must leave the list.
        if (NO_LIVENESS.has(c.name)) expect(c.livenessProbe, `${w.metadata.name} liveness`).toBeUndefined();
        const probes = NO_LIVENESS.has(c.name) ? [c.readinessProbe] : [c.readinessProbe, c.livenessProbe];
        for (const probe of probes) {
          expect(probe, `${w.metadata.name}/${c.name}`).toBeDefined();
          const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
          if (port !== undefined)
            expect(declared.has(port), `${w.metadata.name} probe port ${port}`).toBe(true);
          else expect(probe?.exec?.command.length, `${w.metadata.name} probe`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('gives every container cpu and memory requests and limits', () => {
    for (const w of workloads(objects)) {
      for (const c of allContainers(w)) {
        expect(Object.keys(c.resources?.requests ?? {}).sort(), `${w.metadata.name}/${c.name}`).toEqual([
          'cpu',
          'memory',
        ]);
        expect(Object.keys(c.resources?.limits ?? {}).sort(), `${w.metadata.name}/${c.name}`).toEqual([
          'cpu',
          'memory',
        ]);
      }
    }
  });

  it('pins every image to a version, never :latest', () => {
    for (const w of workloads(objects)) {
      for (const c of allContainers(w)) {
        const tag = c.image.match(/:([^/:@]+)$/)?.[1];
        expect(tag, c.image).toBeDefined();
        expect(tag).not.toBe('latest');
      }
    }
  });

  it('references secrets, never inlines them in env or ConfigMaps', () => {
    for (const w of workloads(objects)) {
      for (const c of allContainers(w)) {
        for (const e of c.env ?? []) {
          if (SECRET_NAME.test(e.name))
            expect(e.valueFrom?.secretKeyRef, `${w.metadata.name} ${e.name}`).toBeDefined();
        }
      }
    }
    for (const cm of byKind(objects, 'ConfigMap') as (K8sObject & { data: Record<string, string> })[]) {
      expect(Object.keys(cm.data).filter((k) => SECRET_NAME.test(k))).toEqual([]);
      // A URL with user:password@ is a credential too.
      expect(Object.values(cm.data).filter((v) => /:\/\/[^/@\s]+:[^/@\s]+@/.test(v))).toEqual([]);
    }
  });

  it('resolves every ConfigMap and Secret a pod reads, and every Service to pods and a named port', () => {
    const configMaps = new Set(byKind(objects, 'ConfigMap').map((o) => o.metadata.name));
    const secrets = new Set(byKind(objects, 'Secret').map((o) => o.metadata.name));
    // Production's Secret comes from AWS Secrets Manager at deploy time, never from this repository.
    const externalSecrets = overlay === 'prod' ? new Set(['flowforge-secrets']) : new Set<string>();
    for (const w of workloads(objects)) {
      for (const c of allContainers(w)) {
        for (const from of c.envFrom ?? []) {
          if (from.configMapRef)
            expect(configMaps.has(from.configMapRef.name), from.configMapRef.name).toBe(true);
          if (from.secretRef) {
            expect(secrets.has(from.secretRef.name) || externalSecrets.has(from.secretRef.name)).toBe(true);
          }
        }
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref) expect(secrets.has(ref.name) || externalSecrets.has(ref.name), ref.name).toBe(true);
        }
      }
    }
    for (const svc of byKind(objects, 'Service') as (K8sObject & {
      spec: { selector: Record<string, string>; ports: { targetPort: string | number }[] };
    })[]) {
      const targets = longLived(objects).filter((w) =>
        Object.entries(svc.spec.selector).every(([k, v]) => w.spec.template.metadata?.labels?.[k] === v),
      );
      expect(
        targets.map((t) => t.metadata.name),
        svc.metadata.name,
      ).toHaveLength(1);
      const ports = new Set(
        podSpec(targets[0]!).containers.flatMap((c) =>
          (c.ports ?? []).flatMap((p) => [p.name, p.containerPort]),
        ),
      );
      for (const p of svc.spec.ports)
        expect(ports.has(p.targetPort), `${svc.metadata.name}:${p.targetPort}`).toBe(true);
    }
  });
});

describe('k8s overlay dev (k3d)', () => {
  const objects = render('dev');

  it('runs the stores, the data plane, the init jobs and the web app in-cluster', () => {
    expect(names(objects)).toEqual(
      expect.arrayContaining([
        'Namespace/flowforge',
        'StatefulSet/redpanda',
        'StatefulSet/clickhouse',
        'StatefulSet/materialize',
        'Deployment/redis',
        'StatefulSet/postgres',
        'Deployment/keycloak',
        'Deployment/fanout',
        'Deployment/workers',
        'Deployment/generator',
        'Job/init-clickhouse',
        'Deployment/web',
      ]),
    );
  });

  it('has readiness scripts for the port-less pods that pass against live stores and fail without them', () => {
    const stack = { KAFKA_BROKERS: '127.0.0.1:9092', CLICKHOUSE_URL: 'http://127.0.0.1:8123' };
    for (const name of NO_LIVENESS) {
      const w = longLived(objects).find((x) => x.metadata.name === name)!;
      const [cmd, ...args] = podSpec(w).containers[0]!.readinessProbe!.exec!.command;
      const run = (env: Record<string, string>) =>
        spawnSync(cmd!, args, { env: { ...process.env, ...env }, timeout: 10_000 }).status;
      expect(run(stack), `${name} against the stack`).toBe(0);
      expect(run({ ...stack, KAFKA_BROKERS: '127.0.0.1:1' }), `${name} without Kafka`).toBe(1);
    }
    const workers = longLived(objects).find((x) => x.metadata.name === 'workers')!;
    const [cmd, ...args] = podSpec(workers).containers[0]!.readinessProbe!.exec!.command;
    expect(
      spawnSync(cmd!, args, {
        env: { ...process.env, ...stack, CLICKHOUSE_URL: 'http://127.0.0.1:1' },
        timeout: 10_000,
      }).status,
    ).toBe(1);
  });

  it('keeps requests small enough for a laptop (total ≤ 4 CPU, ≤ 6 GiB)', () => {
    const cpu = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
    const mib = (q: string) => Number(q.replace(/[A-Za-z]+$/, '')) * (q.endsWith('Gi') ? 1024 : 1);
    const requests = longLived(objects).flatMap((w) =>
      podSpec(w).containers.map((c) => c.resources!.requests!),
    );
    expect(requests.reduce((sum, r) => sum + cpu(r.cpu!), 0)).toBeLessThanOrEqual(4);
    expect(requests.reduce((sum, r) => sum + mib(r.memory!), 0)).toBeLessThanOrEqual(6 * 1024);
  });
});

describe('k8s overlay prod', () => {
  const objects = render('prod');

  it('runs only the data plane and web (stores are managed services) with no Secret in the manifests', () => {
    expect(names(longLived(objects)).sort()).toEqual([
      'Deployment/fanout',
      'Deployment/generator',
      'Deployment/web',
      'Deployment/workers',
    ]);
    expect(byKind(objects, 'Secret')).toEqual([]);
  });

  it('pulls the project images from the registry the image workflow pushes to', () => {
    const images = workloads(objects).flatMap((w) => allContainers(w).map((c) => c.image));
    expect(
      images.filter((i) => i.includes('flowforge-')).every((i) => i.startsWith('ghcr.io/flowforge/')),
    ).toBe(true);
  });

  it('autoscales the data plane and keeps one pod of each through a drain', () => {
    const hpas = byKind(objects, 'HorizontalPodAutoscaler') as (K8sObject & {
      spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number };
    })[];
    expect(hpas.map((h) => `${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`).sort()).toEqual(
      SCALED.map((n) => `Deployment/${n}`),
    );
    expect(hpas.every((h) => h.spec.minReplicas >= 2)).toBe(true);
    const pdbs = byKind(objects, 'PodDisruptionBudget') as (K8sObject & {
      spec: { selector: { matchLabels: Record<string, string> } };
    })[];
    for (const target of [...SCALED, 'web']) {
      const w = longLived(objects).find((x) => x.metadata.name === target)!;
      expect(
        pdbs.some((p) =>
          Object.entries(p.spec.selector.matchLabels).every(
            ([k, v]) => w.spec.template.metadata?.labels?.[k] === v,
          ),
        ),
        target,
      ).toBe(true);
    }
  });

  it('routes the ingress to existing services and ports', () => {
    const services = new Map(
      (byKind(objects, 'Service') as (K8sObject & { spec: { ports: { name: string }[] } })[]).map((s) => [
        s.metadata.name,
        new Set(s.spec.ports.map((p) => p.name)),
      ]),
    );
    const [ingress] = byKind(objects, 'Ingress') as (K8sObject & {
      spec: {
        rules: {
          http: { paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[] };
        }[];
      };
    })[];
    const backends = ingress!.spec.rules.flatMap((r) =>
      r.http.paths.map((p) => [p.path, p.backend.service] as const),
    );
    expect(backends.map(([path, s]) => `${path}→${s.name}`)).toEqual(['/ws→fanout', '/→web']);
    for (const [, s] of backends) expect(services.get(s.name)?.has(s.port.name)).toBe(true);
  });

  it('meets the restricted Pod Security Standard its namespace enforces', () => {
    const [ns] = byKind(objects, 'Namespace');
    expect(ns!.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const w of workloads(objects)) {
      expect(podSpec(w).securityContext?.runAsNonRoot, w.metadata.name).toBe(true);
      expect(podSpec(w).securityContext?.seccompProfile?.type, w.metadata.name).toBe('RuntimeDefault');
      for (const c of allContainers(w)) {
        expect(c.securityContext?.allowPrivilegeEscalation, `${w.metadata.name}/${c.name}`).toBe(false);
        expect(c.securityContext?.capabilities?.drop, `${w.metadata.name}/${c.name}`).toEqual(['ALL']);
      }
    }
  });
});
