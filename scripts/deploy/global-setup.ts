import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Installs kustomize, the schema validator, dbt and Airflow on first use (minutes once, ~0.1 s afterwards). */
export default function setup(): void {
  execFileSync('bash', [fileURLToPath(new URL('../deploy-tools', import.meta.url)), 'install'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
