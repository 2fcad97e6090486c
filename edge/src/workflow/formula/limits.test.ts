import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../compile.ts';
import { validate } from '../index.ts';
import { compileFormula } from './index.ts';
import { FORMULA_LIMITS } from './parser.ts';

const columns = [
  { name: 'price', type: 'float64' as const, nullable: false },
  { name: 'flag', type: 'boolean' as const, nullable: false },
];

const HOSTILE: Record<string, string> = {
  'parentheses 100 000': `${'('.repeat(100_000)}1${')'.repeat(100_000)}`,
  'minus 100 000': `${'-'.repeat(100_000)}1`,
  'NOT 100 000': `${'NOT '.repeat(100_000)}TRUE`,
  'plus terms 200 000': Array.from({ length: 200_000 }, () => '1').join('+'),
  'nested calls': `${'ABS('.repeat(50_000)}1${')'.repeat(50_000)}`,
  'IS NULL chain': `[price]${' IS NULL'.repeat(20_000)}`,
  '1 MB of text': 'x'.repeat(1_000_000),
};

describe('formula limits', () => {
  it.each(Object.entries(HOSTILE))('%s: refused as a value, never thrown', (_name, source) => {
    const result = compileFormula(source, columns);
    expect(result).toMatchObject({ ok: false, code: 'TOO_COMPLEX' });
  });

  it(`accepts ${FORMULA_LIMITS.maxDepth} levels and refuses one more`, () => {
    const nested = (n: number) => `${'('.repeat(n)}[price]${')'.repeat(n)}`;
    expect(compileFormula(nested(FORMULA_LIMITS.maxDepth - 1), columns)).toMatchObject({ ok: true });
    expect(compileFormula(nested(FORMULA_LIMITS.maxDepth + 1), columns)).toMatchObject({
      ok: false,
      code: 'TOO_COMPLEX',
    });
    const chain = (n: number) => Array.from({ length: n }, () => '[price]').join(' + ');
    expect(compileFormula(chain(90), columns)).toMatchObject({ ok: true });
    expect(compileFormula(chain(FORMULA_LIMITS.maxDepth + 2), columns)).toMatchObject({ ok: false });
  });

  it('never throws from compile or validate for hostile formulas up to 1 MB (fast-check)', () => {
    const piece = fc.constantFrom(
      '(',
      ')',
      '-',
      '+',
      'NOT ',
      'AND ',
      ' OR ',
      '[price]',
      '1',
      'ABS(',
      ',',
      ' IS NULL',
      '*',
      '"',
      "'",
    );
    const formula = fc.oneof(
      fc.array(piece, { maxLength: 2_000 }).map((p) => p.join('')),
      fc.tuple(piece, fc.integer({ min: 1, max: 250_000 })).map(([p, n]) => p.repeat(n)),
      fc.string({ maxLength: 1_000 }),
    );
    const graph = (expression: string) => ({
      nodes: [
        { id: 's', type: 'data_source', position: { x: 0, y: 0 }, data: { database: 'm', table: 't' } },
        {
          id: 'f',
          type: 'formula',
          position: { x: 0, y: 0 },
          data: { formulas: [{ name: 'x', expression }] },
        },
      ],
      edges: [{ id: 'e', source: 's', target: 'f' }],
    });
    const catalog = [{ database: 'm', table: 't', store: 'duckdb', columns }];
    // The graph reaches the formula: a sane expression compiles.
    expect(compile(graph('[price] + 1'), 'f', { catalog })).toMatchObject({ ok: true });
    fc.assert(
      fc.property(formula, (expression) => {
        const compiled = compile(graph(expression), 'f', { catalog });
        expect(typeof compiled.ok).toBe('boolean');
        expect(Array.isArray(validate(graph(expression), catalog))).toBe(true);
      }),
      { numRuns: 150, seed: 9 },
    );
  });
});
