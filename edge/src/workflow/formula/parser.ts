import { FormulaError } from './error.ts';
import { tokenize, type Token } from './tokenizer.ts';

export type FormulaBinaryOp =
  '+' | '-' | '*' | '/' | '%' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

/** Untyped syntax tree; `position` is where the construct starts in the source (for error messages). */
export type FormulaAst =
  | { kind: 'number'; value: number; integer: boolean; position: number }
  | { kind: 'string'; value: string; position: number }
  | { kind: 'boolean'; value: boolean; position: number }
  | { kind: 'null'; position: number }
  | { kind: 'column'; name: string; position: number }
  | { kind: 'negate'; arg: FormulaAst; position: number }
  | { kind: 'not'; arg: FormulaAst; position: number }
  | { kind: 'isNull'; arg: FormulaAst; negated: boolean; position: number }
  | { kind: 'binary'; op: FormulaBinaryOp; left: FormulaAst; right: FormulaAst; position: number }
  | { kind: 'call'; name: string; args: FormulaAst[]; position: number };

/** Binding power of infix operators: OR < AND < NOT (prefix) < comparison < additive < multiplicative < unary minus. */
const INFIX: Record<string, number> = {
  OR: 10,
  AND: 20,
  '=': 40,
  '!=': 40,
  '<': 40,
  '<=': 40,
  '>': 40,
  '>=': 40,
  '+': 50,
  '-': 50,
  '*': 60,
  '/': 60,
  '%': 60,
};
const NOT_POWER = 30;
const NEGATE_POWER = 70;
const COMPARISON_POWER = 40;

/**
 * Limits that keep every later pass (type checking, lowering, printing: all recursive over the tree) far from the stack's
 * end, whatever a canvas, the API or the CLI sends.
 */
export const FORMULA_LIMITS = {
  /** Characters per formula. */
  maxLength: 10_000,
  /** Nesting of the syntax tree: parentheses, prefix operators, arguments and chained infix operators all count. */
  maxDepth: 100,
} as const;

export function parseFormula(source: string): FormulaAst {
  if (source.length > FORMULA_LIMITS.maxLength)
    throw new FormulaError(
      'TOO_COMPLEX',
      `Formula is longer than ${FORMULA_LIMITS.maxLength} characters`,
      FORMULA_LIMITS.maxLength,
    );
  const parser = new Parser(tokenize(source));
  const ast = parser.expression(0, 0);
  parser.expectEnd();
  return ast;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  /** `depth` is how deep in the tree this expression sits; the parser refuses trees deeper than FORMULA_LIMITS. */
  expression(minPower: number, depth: number): FormulaAst {
    this.checkDepth(depth);
    let left = this.prefix(depth);
    for (;;) {
      const token = this.peek();
      // `x IS [NOT] NULL` binds like a comparison (and does not chain with one).
      if (token.kind === 'word' && token.text === 'IS' && minPower < COMPARISON_POWER) {
        this.index++;
        this.checkDepth(++depth);
        const negated = this.acceptWord('NOT');
        if (!this.acceptWord('NULL'))
          throw new FormulaError('FORMULA_SYNTAX', 'Expected NULL after IS / IS NOT', this.peek().position);
        left = { kind: 'isNull', arg: left, negated, position: left.position };
        continue;
      }
      const power = infixPower(token);
      if (power === undefined || power <= minPower) return left;
      this.index++;
      // Each operator of a chain (`a + b + c …`) nests the tree one level deeper on its left side.
      this.checkDepth(++depth);
      // Comparisons do not chain: `a < b < c` is a mistake in this language, not `(a < b) < c`.
      const right = this.expression(power === COMPARISON_POWER ? COMPARISON_POWER : power, depth);
      if (power === COMPARISON_POWER && infixPower(this.peek()) === COMPARISON_POWER)
        throw new FormulaError(
          'FORMULA_SYNTAX',
          'Comparisons cannot be chained; combine them with AND',
          this.peek().position,
        );
      left = { kind: 'binary', op: token.text as FormulaBinaryOp, left, right, position: left.position };
    }
  }

  private checkDepth(depth: number): void {
    if (depth > FORMULA_LIMITS.maxDepth)
      throw new FormulaError(
        'TOO_COMPLEX',
        `Formula nests deeper than ${FORMULA_LIMITS.maxDepth} levels`,
        this.peek().position,
      );
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw unexpected(token);
  }

  private prefix(depth: number): FormulaAst {
    const token = this.next();
    switch (token.kind) {
      case 'number': {
        const value = Number(token.text);
        if (!Number.isFinite(value))
          throw new FormulaError('INVALID_VALUE', `Number ${token.text} is out of range`, token.position);
        return { kind: 'number', value, integer: /^\d+$/.test(token.text), position: token.position };
      }
      case 'string':
        return { kind: 'string', value: token.text, position: token.position };
      case 'column':
        return { kind: 'column', name: token.text, position: token.position };
      case '(': {
        const inner = this.expression(0, depth + 1);
        this.expect(')');
        return inner;
      }
      case 'operator':
        if (token.text === '-')
          return { kind: 'negate', arg: this.expression(NEGATE_POWER, depth + 1), position: token.position };
        if (token.text === '+') return this.expression(NEGATE_POWER, depth + 1);
        throw unexpected(token);
      case 'word':
        return this.word(token, depth);
      default:
        throw unexpected(token);
    }
  }

  private word(token: Token, depth: number): FormulaAst {
    switch (token.text) {
      case 'TRUE':
      case 'FALSE':
        return { kind: 'boolean', value: token.text === 'TRUE', position: token.position };
      case 'NULL':
        return { kind: 'null', position: token.position };
      case 'NOT':
        return { kind: 'not', arg: this.expression(NOT_POWER, depth + 1), position: token.position };
      case 'AND':
      case 'OR':
        throw unexpected(token);
    }
    if (this.peek().kind !== '(')
      throw new FormulaError(
        'FORMULA_SYNTAX',
        `Unexpected word '${token.text}': write column references as [name]`,
        token.position,
      );
    this.index++;
    const args: FormulaAst[] = [];
    if (this.peek().kind !== ')') {
      do args.push(this.expression(0, depth + 1));
      while (this.accept(','));
    }
    this.expect(')');
    return { kind: 'call', name: token.text, args, position: token.position };
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private acceptWord(word: string): boolean {
    const token = this.peek();
    if (token.kind !== 'word' || token.text !== word) return false;
    this.index++;
    return true;
  }

  private accept(kind: Token['kind']): boolean {
    if (this.peek().kind !== kind) return false;
    this.index++;
    return true;
  }

  private expect(kind: Token['kind']): void {
    const token = this.peek();
    if (token.kind !== kind)
      throw new FormulaError(
        'FORMULA_SYNTAX',
        `Expected '${kind}' but found ${describe(token)}`,
        token.position,
      );
    this.index++;
  }
}

function infixPower(token: Token): number | undefined {
  if (token.kind === 'operator' || (token.kind === 'word' && (token.text === 'AND' || token.text === 'OR')))
    return INFIX[token.text];
  return undefined;
}

function describe(token: Token): string {
  return token.kind === 'end'
    ? 'end of formula'
    : `'${token.kind === 'column' ? `[${token.text}]` : token.text}'`;
}

function unexpected(token: Token): FormulaError {
  return new FormulaError('FORMULA_SYNTAX', `Unexpected ${describe(token)}`, token.position);
}
