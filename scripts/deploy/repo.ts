import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const repoPath = (...parts: string[]): string => join(ROOT, ...parts);
export const readRepoFile = (path: string): string => readFileSync(repoPath(path), 'utf8');

/** Absolute path of a tool that `scripts/deploy-tools install` provides. */
export function toolPath(tool: 'kustomize' | 'k8s-validate' | 'dbt' | 'airflow-python'): string {
  return execFileSync('bash', [repoPath('scripts/deploy-tools'), 'path', tool], { encoding: 'utf8' }).trim();
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

export function parseYamlDocuments<T = unknown>(text: string): T[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length) throw new Error(doc.errors.map((e) => e.message).join('; '));
    return doc.toJS() as T;
  });
}

/** `kustomize build` of a folder, as text (what `kubectl apply -k` and Tilt would apply). */
export function kustomizeBuild(dir: string): string {
  return execFileSync(toolPath('kustomize'), ['build', repoPath(dir)], { encoding: 'utf8' });
}

/** package.json scripts of the root and of every workspace, keyed by workspace folder ('' = root). */
export function packageScripts(): Map<string, Record<string, string>> {
  const root = JSON.parse(readRepoFile('package.json')) as {
    workspaces: string[];
    scripts: Record<string, string>;
  };
  const all = new Map<string, Record<string, string>>([['', root.scripts]]);
  for (const ws of root.workspaces) {
    all.set(
      ws,
      (JSON.parse(readRepoFile(`${ws}/package.json`)) as { scripts?: Record<string, string> }).scripts ?? {},
    );
  }
  return all;
}

/** Dockerfile → the image name the manifests, the Tiltfile and build-images.yml use. */
export const DOCKERFILES = {
  'dataplane/Dockerfile': 'flowforge-dataplane',
  'pipeline/Dockerfile': 'flowforge-pipeline',
  'web/Dockerfile': 'flowforge-web',
} as const;
