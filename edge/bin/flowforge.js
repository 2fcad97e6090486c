#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/workflow/cli/main.ts');
