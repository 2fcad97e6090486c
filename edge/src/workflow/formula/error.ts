import type { IssueCode } from '../errors.ts';

/** A formula problem with the 0-based character position it starts at; the node layer turns it into a WorkflowIssue. */
export class FormulaError extends Error {
  constructor(
    readonly code: IssueCode,
    readonly reason: string,
    readonly position: number,
  ) {
    super(`${reason} at position ${position}`);
    this.name = 'FormulaError';
  }
}
