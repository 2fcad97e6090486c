import { FormulaError } from './error.ts';

export type TokenKind = 'number' | 'string' | 'column' | 'word' | 'operator' | '(' | ')' | ',' | 'end';

export interface Token {
  kind: TokenKind;
  /** For strings and columns: the unescaped content; otherwise the source text (words upper-cased). */
  text: string;
  /** 0-based character offsets of the token in the expression: [position, end). */
  position: number;
  end: number;
}

const OPERATORS = ['<=', '>=', '!=', '<>', '+', '-', '*', '/', '%', '=', '<', '>'];
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Splits a formula into tokens. `[col]` references may contain any character; `]]` inside one stands for `]`. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '[') {
      const [text, end] = readDelimited(source, i, ']', 'column reference');
      if (text === '') throw new FormulaError('FORMULA_SYNTAX', 'Empty column reference', i);
      tokens.push({ kind: 'column', text, position: i, end });
      i = end;
    } else if (ch === "'") {
      const [text, end] = readDelimited(source, i, "'", 'string');
      tokens.push({ kind: 'string', text, position: i, end });
      i = end;
    } else if ('(),'.includes(ch)) {
      tokens.push({ kind: ch as '(' | ')' | ',', text: ch, position: i, end: i + 1 });
      i++;
    } else {
      const token =
        readPattern(source, i, NUMBER, 'number') ??
        readPattern(source, i, WORD, 'word') ??
        readOperator(source, i);
      if (!token && ch === '"') {
        // SQL habit from other tools: say what to write instead of "unexpected character".
        const close = source.indexOf('"', i + 1);
        const text = source.slice(i + 1, close === -1 ? undefined : close);
        throw new FormulaError(
          'FORMULA_SYNTAX',
          `Text uses single quotes: write '${text}' instead of "${text}"`,
          i,
        );
      }
      if (!token) throw new FormulaError('FORMULA_SYNTAX', `Unexpected character '${ch}'`, i);
      tokens.push(token);
      i = token.end;
    }
  }
  tokens.push({ kind: 'end', text: '', position: source.length, end: source.length });
  return tokens;
}

function readDelimited(source: string, start: number, close: string, what: string): [string, number] {
  let text = '';
  for (let i = start + 1; i < source.length; i++) {
    const ch = source[i]!;
    if (ch !== close) {
      text += ch;
    } else if (source[i + 1] === close) {
      text += close;
      i++;
    } else {
      return [text, i + 1];
    }
  }
  throw new FormulaError('FORMULA_SYNTAX', `Unterminated ${what} (missing ${close})`, start);
}

function readPattern(
  source: string,
  at: number,
  pattern: RegExp,
  kind: 'number' | 'word',
): Token | undefined {
  pattern.lastIndex = at;
  const m = pattern.exec(source);
  if (!m) return undefined;
  return { kind, text: kind === 'word' ? m[0].toUpperCase() : m[0], position: at, end: at + m[0].length };
}

function readOperator(source: string, at: number): Token | undefined {
  const op = OPERATORS.find((candidate) => source.startsWith(candidate, at));
  return op === undefined
    ? undefined
    : { kind: 'operator', text: op === '<>' ? '!=' : op, position: at, end: at + op.length };
}
