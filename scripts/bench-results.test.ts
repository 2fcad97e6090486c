import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GENERATED_END,
  GENERATED_START,
  joinSections,
  mergeSections,
  splitSections,
  writeSectionsInto,
} from './bench-results.ts';

const results = [
  '# Benchmarks',
  '',
  '| table |',
  '',
  '## Compile',
  '',
  'Quiet re-run at 06:40; before/after below.',
  '',
  GENERATED_START,
  '| old | 1 |',
  GENERATED_END,
  '',
  'Before this change: 29.7 ms.',
  '',
  '## Preview path',
  '',
  'Pasted by hand, no markers.',
].join('\n');

describe('bench results merging', () => {
  it('replaces only the generated block of a marked section and keeps the prose around it in place', () => {
    const { head, sections } = splitSections(results);
    const merged = mergeSections(sections, ['## Compile\n\n| new | 2 |\n']);
    expect(head).toBe('# Benchmarks\n\n| table |');
    expect(merged).toHaveLength(2);
    expect(merged[0]).toBe(
      [
        '## Compile',
        '',
        'Quiet re-run at 06:40; before/after below.',
        '',
        GENERATED_START,
        '| new | 2 |',
        GENERATED_END,
        '',
        'Before this change: 29.7 ms.',
      ].join('\n'),
    );
    expect(merged[1]).toBe('## Preview path\n\nPasted by hand, no markers.');
  });

  it('replaces an unmarked section whole (its parts cannot be told apart) and adds the markers', () => {
    const { sections } = splitSections(results);
    const merged = mergeSections(sections, ['## Preview path\n\n| p50 | 0.4 |']);
    expect(merged[1]).toBe(
      ['## Preview path', '', GENERATED_START, '| p50 | 0.4 |', GENERATED_END].join('\n'),
    );
    expect(merged[0]).toContain('| old | 1 |');
  });

  it('appends sections new to the file after the existing ones', () => {
    const { sections } = splitSections(results);
    const merged = mergeSections(sections, ['## Embed\n\n| hit | 6 ms |']);
    expect(merged.map((s) => s.split('\n')[0])).toEqual(['## Compile', '## Preview path', '## Embed']);
  });

  it('writes a results file in place, round-tripping the sections a run did not touch byte for byte', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bench-results-')), 'results.md');
    writeFileSync(path, results + '\n');
    writeSectionsInto(path, ['## Compile\n\n| new | 2 |']);
    const written = readFileSync(path, 'utf8');
    expect(written.startsWith('# Benchmarks\n\n| table |\n\n## Compile\n')).toBe(true);
    expect(written.endsWith('## Preview path\n\nPasted by hand, no markers.\n')).toBe(true);
    expect(written).toContain('Before this change: 29.7 ms.');
    expect(written).not.toContain('| old | 1 |');
    const again = splitSections(written);
    expect(joinSections(again.head, again.sections)).toBe(written);
  });
});
