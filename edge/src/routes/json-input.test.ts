import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS, jsonProblem, textProblem } from './json-input.ts';
import { canonicalJson } from '../query/canonical.ts';

/** `[[[…]]]` n levels deep, built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('textProblem', () => {
  it('refuses NUL, lone surrogates of either half and over-long text, and accepts paired surrogates', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('x\uD800')).toMatch(/surrogate/);
    expect(textProblem('\uDC00x')).toMatch(/surrogate/);
    expect(textProblem('\uDC00\uD800')).toMatch(/surrogate/);
    expect(textProblem('x'.repeat(INPUT_LIMITS.maxStringChars + 1))).toMatch(/longer than 100000/);
    expect(textProblem('x'.repeat(INPUT_LIMITS.maxStringChars))).toBeUndefined();
    expect(textProblem('price 📈 ünïcode')).toBeUndefined();
  });
});

describe('jsonProblem', () => {
  it('names the field holding bad text, in values and in keys', () => {
    expect(jsonProblem({ name: 'ok', graph: { nodes: [{ id: 'a\u0000' }] } })).toEqual({
      path: 'graph.nodes.0.id',
      message: 'Text contains a NUL character',
    });
    expect(jsonProblem({ config: { ['k\uD83D']: 1 } })?.path).toBe('config.k\uD83D');
  });

  it(`allows ${INPUT_LIMITS.maxDepth} levels of nesting and refuses one more`, () => {
    expect(jsonProblem(nested(INPUT_LIMITS.maxDepth))).toBeUndefined();
    expect(jsonProblem(nested(INPUT_LIMITS.maxDepth + 1))?.message).toMatch(/deeper than 64/);
  });

  it('walks 100 000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(jsonProblem(deep)?.message).toMatch(/deeper than 64/);
  });

  it('caps array lengths', () => {
    expect(jsonProblem({ a: new Array(INPUT_LIMITS.maxArrayItems).fill(0) })).toBeUndefined();
    expect(jsonProblem({ a: new Array(INPUT_LIMITS.maxArrayItems + 1).fill(0) })).toEqual({
      path: 'a',
      message: 'Array has more than 10000 items',
    });
  });
});

describe('canonicalJson', () => {
  it('serialises 100 000 levels of nesting without overflowing the stack', () => {
    expect(canonicalJson(nested(100_000))).toBe(`${'['.repeat(100_000)}1${']'.repeat(100_000)}`);
    expect(canonicalJson({ b: [{ d: 1, c: null }], a: 'x' })).toBe('{"a":"x","b":[{"c":null,"d":1}]}');
  });
});
