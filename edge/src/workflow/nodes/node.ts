import type { z } from 'zod';
import { findColumn, type Columns } from '../columns.ts';
import { didYouMean, type IssueCode } from '../errors.ts';
import type { Rel } from '../ir.ts';
import type { Catalog } from '../schema.ts';
import type { Column } from '../types.ts';

/** A WorkflowIssue before the driver attaches the node id. */
export interface NodeIssue {
  field?: string;
  code: IssueCode;
  message: string;
}

/** Row conditions applied at every scan, below every user node: the tenant ACL and an embed token's lock. */
export interface Acl {
  /** Symbols visible; an empty list means no rows from tables with a `symbol` column. Absent = every symbol. */
  allowedSymbols?: readonly string[];
  /** Inclusive bounds on the table's time column (see `scanColumns`), ISO dates or date-times. */
  timeFrom?: string;
  timeTo?: string;
}

export interface NodeContext {
  catalog: Catalog;
  acl?: Acl;
}

/** How a node takes its inputs: none (sources), exactly one, one per named handle (in order), or any number. */
export type InputShape =
  { kind: 'none' } | { kind: 'one' } | { kind: 'handles'; handles: readonly string[] } | { kind: 'many' };

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: NodeIssue[] };

/**
 * One node type: its config schema, how it transforms schemas (for the canvas) and how it lowers to relational IR
 * (for the compiler). `lower` is only called when `propagate` succeeded on the same inputs.
 */
export interface NodeDefinition<Config = unknown> {
  type: string;
  config: z.ZodType<Config>;
  inputs: InputShape;
  /** Terminal nodes (table view, charts) end a pipeline: nothing may consume them. */
  terminal: boolean;
  propagate(inputs: Columns[], config: Config, context: NodeContext): Checked<Columns>;
  lower(inputs: Rel[], config: Config, context: NodeContext): Rel;
}

export const defineNode = <Config>(definition: NodeDefinition<Config>): NodeDefinition<Config> => definition;

/** Collects issues while a node resolves its config, so one pass reports every problem at once. */
export class Problems {
  readonly issues: NodeIssue[] = [];

  add(code: IssueCode, message: string, field?: string): void {
    this.issues.push(field === undefined ? { code, message } : { field, code, message });
  }

  column(columns: Columns, name: string, field: string): Column | undefined {
    const found = findColumn(columns, name);
    if (!found)
      this.add(
        'UNKNOWN_COLUMN',
        `Unknown column "${name}".${didYouMean(
          name,
          columns.map((c) => c.name),
        )}`,
        field,
      );
    return found;
  }

  /** Resolves a column and checks its type with `accepts`; `expected` reads as "needs <expected>". */
  typedColumn(
    columns: Columns,
    name: string,
    field: string,
    expected: string,
    accepts: (column: Column) => boolean,
  ): Column | undefined {
    const found = this.column(columns, name, field);
    if (found && !accepts(found)) {
      this.add('TYPE_MISMATCH', `Column "${name}" is ${found.type}, but this needs ${expected}`, field);
      return undefined;
    }
    return found;
  }

  /** Flags output names used twice (e.g. an alias equal to a group key). */
  uniqueNames(names: readonly { name: string; field: string }[]): void {
    const seen = new Set<string>();
    for (const { name, field } of names) {
      if (seen.has(name)) this.add('DUPLICATE_COLUMN', `Column "${name}" appears twice in the output`, field);
      seen.add(name);
    }
  }

  result<T>(value: () => T): Checked<T> {
    return this.issues.length > 0 ? { ok: false, issues: this.issues } : { ok: true, value: value() };
  }
}

/** Unwraps a propagation result inside `lower`, where a failure would be a bug in the driver. */
export function expectOk<T>(checked: Checked<T>): T {
  if (!checked.ok)
    throw new Error(`lower() called on an invalid node: ${checked.issues.map((i) => i.message).join('; ')}`);
  return checked.value;
}
