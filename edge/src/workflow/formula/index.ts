import type { Columns } from '../columns.ts';
import type { IssueCode } from '../errors.ts';
import { FormulaError } from './error.ts';
import { parseFormula } from './parser.ts';
import { typecheck, type Typed } from './typecheck.ts';

export type { FormulaAst } from './parser.ts';
export { parseFormula } from './parser.ts';

export type FormulaResult =
  ({ ok: true } & Typed) | { ok: false; code: IssueCode; message: string; position: number };

/** Parses and types one formula against the columns of its input. Problems come back as values with a position. */
export function compileFormula(source: string, columns: Columns): FormulaResult {
  try {
    return { ok: true, ...typecheck(parseFormula(source), columns) };
  } catch (error) {
    if (error instanceof FormulaError)
      return { ok: false, code: error.code, message: error.message, position: error.position };
    throw error;
  }
}
