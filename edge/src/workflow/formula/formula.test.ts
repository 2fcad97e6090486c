import { describe, expect, it } from 'vitest';
import { compileFormula, parseFormula, type FormulaAst } from './index.ts';
import type { Column } from '../types.ts';
import { compile } from '../compile.ts';

const columns: Column[] = [
  { name: 'price', type: 'decimal(18,6)', nullable: false },
  { name: 'qty', type: 'int64', nullable: false },
  { name: 'fee', type: 'float64', nullable: true },
  { name: 'side', type: 'string', nullable: false },
  { name: 'at', type: 'datetime', nullable: false },
  { name: 'day', type: 'date', nullable: false },
  { name: 'flag', type: 'boolean', nullable: false },
  { name: 'odd ] name', type: 'int64', nullable: false },
];

/** The tree as a compact S-expression, so precedence reads at a glance. */
function sexp(ast: FormulaAst): string {
  switch (ast.kind) {
    case 'number':
      return String(ast.value);
    case 'string':
      return `'${ast.value}'`;
    case 'boolean':
      return String(ast.value);
    case 'null':
      return 'null';
    case 'column':
      return `[${ast.name}]`;
    case 'negate':
      return `(neg ${sexp(ast.arg)})`;
    case 'not':
      return `(not ${sexp(ast.arg)})`;
    case 'isNull':
      return `(${ast.negated ? 'notnull' : 'isnull'} ${sexp(ast.arg)})`;
    case 'binary':
      return `(${ast.op} ${sexp(ast.left)} ${sexp(ast.right)})`;
    case 'call':
      return `(${ast.name} ${ast.args.map(sexp).join(' ')})`;
  }
}

describe('formula parser', () => {
  it.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['[a] - [b] - [c]', '(- (- [a] [b]) [c])'],
    ['[a] / [b] * [c]', '(* (/ [a] [b]) [c])'],
    ['-[a] * 2', '(* (neg [a]) 2)'],
    ['- -[a]', '(neg (neg [a]))'],
    ['[a] + 1 > [b] * 2', '(> (+ [a] 1) (* [b] 2))'],
    ['NOT [a] = 1 AND [b]', '(AND (not (= [a] 1)) [b])'],
    ['[a] OR [b] AND [c]', '(OR [a] (AND [b] [c]))'],
    ['[a] <> 1', '(!= [a] 1)'],
    ["IF([side] = 'BUY', [qty], -[qty])", "(IF (= [side] 'BUY') [qty] (neg [qty]))"],
    ['round([x], 2) % 3', '(% (ROUND [x] 2) 3)'],
    ["'it''s' = [s]", "(= 'it's' [s])"],
    ['[odd ]] name] + 1', '(+ [odd ] name] 1)'],
    ['1.5e3 + .5', ''],
  ])('%s', (source, expected) => {
    if (expected === '') {
      expect(() => parseFormula(source)).toThrow(/position 8/);
      return;
    }
    expect(sexp(parseFormula(source))).toBe(expected);
  });

  it.each([
    ['[price] * (2 + ', 'FORMULA_SYNTAX', 15, /Unexpected end of formula/],
    ['[price] $ 2', 'FORMULA_SYNTAX', 8, /Unexpected character '\$'/],
    ['[symbol] = "AAPL"', 'FORMULA_SYNTAX', 11, /Text uses single quotes: write 'AAPL' instead of "AAPL"/],
    ["[side] = 'BUY", 'FORMULA_SYNTAX', 9, /Unterminated string/],
    ['[price', 'FORMULA_SYNTAX', 0, /Unterminated column reference/],
    ['[qty] < 1 < 2', 'FORMULA_SYNTAX', 10, /cannot be chained/],
    ['price * 2', 'FORMULA_SYNTAX', 0, /write column references as \[name\]/],
    ['[qty] +', 'FORMULA_SYNTAX', 7, /Unexpected end/],
    ['ROUND([price], 2, 3)', 'FORMULA_SYNTAX', 0, /ROUND takes 1 to 2 arguments, got 3/],
    ['[qty] + [prise]', 'UNKNOWN_COLUMN', 8, /Did you mean \[price\]|Did you mean "price"/],
    ['2 * LOWR([side])', 'UNKNOWN_FUNCTION', 4, /Did you mean "LOWER"/],
    ['[side] + 1', 'TYPE_MISMATCH', 0, /\+ expects a number, got string/],
    ['[fee] % 2', 'TYPE_MISMATCH', 0, /% needs two int64 operands/],
    ["[qty] > 'abc'", 'TYPE_MISMATCH', 0, /Cannot compare int64 with string/],
    ['IF([qty], 1, 2)', 'TYPE_MISMATCH', 3, /IF expects a boolean/],
    ["IF([flag], 1, 'x')", 'TYPE_MISMATCH', 14, /IF cannot mix int64 and string/],
    ["DATE_TRUNC('fortnight', [at])", 'INVALID_VALUE', 11, /first argument must be one of/],
    ['ROUND([price], [qty])', 'INVALID_VALUE', 15, /digits must be an integer literal/],
    ["[at] > 'not a date'", 'INVALID_VALUE', 7, /not an ISO date-time/],
    ['HOUR([side])', 'TYPE_MISMATCH', 5, /expects a date or datetime/],
  ])('%s → %s at %i', (source, code, position, message) => {
    const result = compileFormula(source, columns);
    expect(result).toMatchObject({ ok: false, code, position });
    expect(result.ok ? '' : result.message).toMatch(message);
    expect(result.ok ? '' : result.message).toContain(`at position ${position}`);
  });
});

describe('formula types', () => {
  it.each([
    ['[qty] * 2', 'int64', false],
    ['[qty] / 2', 'float64', true],
    ['[price] + 1', 'float64', false],
    ['[price] * [qty]', 'float64', false],
    ['[fee] - 1', 'float64', true],
    ['-[price]', 'decimal(18,6)', false],
    ['ABS([price])', 'decimal(18,6)', false],
    ['ROUND([qty], 2)', 'int64', false],
    ['ROUND([price], 2)', 'float64', false],
    ['ROUND([fee])', 'float64', true],
    ['IF([flag], [qty], [fee])', 'float64', true],
    ['IF([flag], NULL, [side])', 'string', true],
    ['COALESCE([fee], 0)', 'float64', false],
    ['COALESCE([fee], NULL)', 'float64', true],
    ["CONCAT([side], '-', LOWER([side]))", 'string', false],
    ['LENGTH(UPPER([side]))', 'int64', false],
    ['YEAR([at]) + MONTH([day]) + DAY([at]) + HOUR([at])', 'int64', false],
    ["DATE_TRUNC('HOUR', [at])", 'datetime', false],
    ["DATE_TRUNC('month', [day])", 'datetime', false],
    ["[at] >= '2024-01-01' AND [day] < '2024-02-01T00:00:00Z'", 'boolean', false],
    ['[fee] IS NULL', 'boolean', false],
    ['[fee] + 1 IS NOT NULL AND [side] IS NULL', 'boolean', false],
    ['ISNULL([fee])', 'boolean', false],
    ['[fee] = NULL', '', false],
    ['NULL != [fee]', '', false],
    ['[fee] IS 1', '', false],
    ['SQRT([qty])', 'float64', true],
    ['LN([price])', 'float64', true],
    ['EXP([fee])', 'float64', true],
    ['POWER([qty], 2)', 'float64', true],
    ['GREATEST([qty], [fee], 3)', 'float64', false],
    ['LEAST([fee], NULL)', 'float64', true],
    ["GREATEST([at], [day], '2024-01-01')", '', false],
    ['GREATEST([flag], [flag])', '', false],
    ["REGEXP_MATCH([side], '^B(UY|ID)$')", 'boolean', false],
    ["REGEXP_MATCH([side], '\\d+')", '', false],
    ["REGEXP_MATCH([side], '(?=x)')", '', false],
    ['REGEXP_MATCH([side], [side])', '', false],
    ['SUBSTRING([side], 2)', 'string', false],
    ['SUBSTRING([side], 1, 2)', 'string', false],
    ['SUBSTRING([side], 0, 2)', '', false],
    ["REPLACE([side], 'B', [side])", 'string', false],
    ["REPLACE([side], '', 'x')", '', false],
    ["DATE_DIFF('minute', [day], [at])", 'int64', false],
    ["DATE_DIFF('month', [day], [at])", '', false],
    ['NOW()', 'datetime', false],
    ["DATE_DIFF('day', [at], NOW()) > 1", 'boolean', false],
    ['NOT [flag] OR [qty] > 1', 'boolean', false],
    ['[odd ]] name] % 3', 'int64', true],
  ])('%s : %s', (source, type, nullable) => {
    const result = compileFormula(source, columns);
    if (type === '') {
      expect(result.ok).toBe(false);
      return;
    }
    expect(result).toMatchObject({ ok: true, nullable, expr: { type } });
  });

  it('turns ISO strings compared with datetimes into canonical UTC literals', () => {
    const result = compileFormula("[at] > '2024-03-10T12:00:00+02:00'", columns);
    expect(result).toMatchObject({
      ok: true,
      expr: { kind: 'binary', right: { kind: 'lit', value: '2024-03-10 10:00:00.000', type: 'datetime' } },
    });
  });
});

describe('formula printing keeps the parsed precedence', () => {
  const catalog = [{ database: 'd', table: 't', store: 'duckdb', columns: columns.map((c) => ({ ...c })) }];
  const sqlOf = (expression: string) => {
    const graph = {
      nodes: [
        { id: 's', type: 'data_source', data: { database: 'd', table: 't' } },
        { id: 'f', type: 'formula', data: { formulas: [{ name: 'out', expression }] } },
        { id: 'p', type: 'select', data: { columns: ['out'] } },
      ],
      edges: [
        { id: 'a', source: 's', target: 'f' },
        { id: 'b', source: 'f', target: 'p' },
      ],
    };
    const result = compile(graph, 'p', { catalog, dialect: 'duckdb' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return /^SELECT (.*) AS "out"/.exec(result.sql)![1];
  };

  it.each([
    ['([qty] + 1) * [qty]', '("t0"."qty" + 1) * "t0"."qty"'],
    ['[qty] - ([qty] - 1)', '"t0"."qty" - ("t0"."qty" - 1)'],
    ['[qty] - [qty] - 1', '"t0"."qty" - "t0"."qty" - 1'],
    ['-(-[qty])', '-(-"t0"."qty")'],
    ['[qty] - -1', '"t0"."qty" - -1'],
    ['NOT ([flag] OR [qty] > 1)', 'NOT ("t0"."flag" OR "t0"."qty" > 1)'],
    ['([flag] OR [flag]) AND [flag]', '("t0"."flag" OR "t0"."flag") AND "t0"."flag"'],
    ['[qty] / ([qty] + 1)', '"t0"."qty" / NULLIF("t0"."qty" + 1, 0)'],
  ])('%s', (source, sql) => {
    expect(sqlOf(source)).toBe(sql);
  });
});
