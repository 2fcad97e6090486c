import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageScripts, readRepoFile, repoPath } from './repo.ts';

// The agent notes and the README describe only what exists: every AGENTS.md has its CLAUDE.md link, every path in a
// layout table exists, and every `npm run …` they tell you to type is a script of the named workspace.

const AGENT_DIRS = ['', 'edge', 'web', 'dataplane'];
const DOCS = [
  ...AGENT_DIRS.map((d) => (d ? `${d}/AGENTS.md` : 'AGENTS.md')),
  'README.md',
  'k8s/README.md',
  'cdk/README.md',
];

/** Whether a repo path exists; `*` or a `<placeholder>` segment matches any one entry. */
function exists(path: string, at = ''): boolean {
  const [head, ...rest] = path.split('/');
  if (head === undefined || head === '') return existsSync(repoPath(at));
  if (head === '*' || /^<\w+>$/.test(head)) {
    return (
      existsSync(repoPath(at)) &&
      lstatSync(repoPath(at)).isDirectory() &&
      readdirSync(repoPath(at)).some((entry) => exists(rest.join('/'), `${at}/${entry}`))
    );
  }
  return exists(rest.join('/'), `${at}/${head}`);
}

/** First-column cells of every markdown table whose header starts with `| folder` or `| path`. */
function layoutEntries(markdown: string): string[] {
  const entries: string[] = [];
  let inLayout = false;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      inLayout = false;
      continue;
    }
    if (/^\|\s*(folder|path)\s*\|/.test(line)) {
      inLayout = true;
      continue;
    }
    if (inLayout && !line.startsWith('|--') && !line.startsWith('|---')) {
      const cell = line.split('|')[1]!;
      entries.push(...[...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    }
  }
  return entries;
}

describe.each(AGENT_DIRS)('AGENTS.md in /%s', (dir) => {
  it('exists with a CLAUDE.md symlink to it', () => {
    const link = repoPath(dir, 'CLAUDE.md');
    expect(existsSync(repoPath(dir, 'AGENTS.md'))).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('AGENTS.md');
  });
});

describe.each(DOCS)('%s', (doc) => {
  const text = readRepoFile(doc);
  const base = doc.includes('/') ? doc.slice(0, doc.lastIndexOf('/')) : '';

  it('lists only paths that exist in its layout tables', () => {
    const missing = layoutEntries(text).filter((entry) => {
      const path = entry.replace(/\/$/, '');
      const candidates = [path, `${base}/${path}`, `${base}/src/${path}`].map((p) => p.replace(/^\//, ''));
      return !candidates.some((p) => exists(p));
    });
    expect(missing).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const scripts = packageScripts();
    for (const [, script, ws] of text.matchAll(/`npm run ([\w:-]+)(?: (?:-w|--workspace) (\w+))?[^`]*`/g)) {
      expect(scripts.get(ws ?? '')?.[script!], `${doc}: npm run ${script} ${ws ?? ''}`).toBeDefined();
    }
    for (const [, ws] of text.matchAll(/`npm start -w (\w+)/g))
      expect(scripts.get(ws!)?.start, `${doc}: npm start -w ${ws}`).toBeDefined();
  });
});
