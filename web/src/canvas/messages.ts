import type { WorkflowIssue } from '@flowforge/edge/workflow';
import { nodeKind } from './node-catalog.ts';

/**
 * `todo`: a step the user has not done yet (a field still empty, an input not connected) — shown as a neutral hint,
 * never as an error. `error`: something the user set that does not work.
 */
export type ProblemTone = 'todo' | 'error';

export interface NodeProblem extends WorkflowIssue {
  tone: ProblemTone;
}

/** What to do about an empty field, per node type: the hint a newcomer sees instead of a validation error. */
const EMPTY_FIELD_HINTS: Record<string, Record<string, string>> = {
  data_source: { database: 'Choose a table', table: 'Choose a table' },
  select: { columns: 'Tick the columns to keep' },
  sort: { sorts: 'Add a sort key' },
  formula: { formulas: 'Add a formula' },
  group_by: { group_by: 'Tick a column to group by, or add an aggregation' },
  bar_chart: { x: 'Choose the x-axis column', y: 'Tick the values to plot' },
  line_chart: { x: 'Choose the x-axis column', y: 'Tick the values to plot' },
  scatter: { x: 'Choose the x column', y: 'Choose the y column' },
  kpi: { value: 'Choose the value to show' },
  candlestick: { time: 'Choose the time, open, high, low and close columns' },
  pivot: { rows: 'Choose the row keys', values: 'Choose the values to aggregate' },
  join: { keys: 'Choose the keys to join on' },
};
/** List fields whose items are not simply the field's singular: `keys[0]` is a join's key pair 1. */
const ITEM_NAMES: Record<string, string> = { keys: 'key pair' };
/** Item fields that name a column, and how a hint calls them. */
const COLUMN_LEAVES: Record<string, string> = {
  column: 'column',
  left: 'left column',
  right: 'right column',
};
const CANDLE_FIELDS = ['time', 'open', 'high', 'low', 'close'];
const INPUT_CODES: ReadonlySet<string> = new Set(['MISSING_INPUT', 'DUPLICATE_INPUT', 'UNEXPECTED_INPUT']);

function valueAt(data: Record<string, unknown>, field: string): unknown {
  let value: unknown = data;
  for (const part of field.split(/[.[\]]+/).filter(Boolean)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** `conditions[0].column` → "Choose the column of condition 1"; a whole field → the node's own hint. */
function emptyFieldHint(type: string, field: string): string {
  const [root = field, index, leaf] = field.split(/[.[\]]+/).filter(Boolean);
  if (index === undefined) {
    if (type === 'candlestick' && CANDLE_FIELDS.includes(root)) return EMPTY_FIELD_HINTS.candlestick!.time!;
    return EMPTY_FIELD_HINTS[type]?.[root] ?? `Fill in ${root.replace(/_/g, ' ')}`;
  }
  const item = `${ITEM_NAMES[root] ?? root.replace(/s$/, '').replace(/_/g, ' ')} ${Number(index) + 1}`;
  if (!leaf) return `Fill in ${item}`;
  const column = COLUMN_LEAVES[leaf];
  return column ? `Choose the ${column} of ${item}` : `Fill in the ${leaf} of ${item}`;
}

/** Column types in words a trader uses. */
function friendlyTypes(text: string): string {
  return text
    .replace(/\bdecimal\(\d+,\s*\d+\)|\bfloat64\b|\bint64\b/g, 'number')
    .replace(/\btype string\b/g, 'type text')
    .replace(/\bdatetime\b/g, 'date-time');
}

function sentence(type: string, data: Record<string, unknown>, i: WorkflowIssue): NodeProblem {
  const label = nodeKind(type).label;
  const todo = (message: string): NodeProblem => ({ ...i, tone: 'todo', message });
  const error = (message: string): NodeProblem => ({ ...i, tone: 'error', message });
  // Whatever the engine calls it (missing config, a value of the wrong type), an empty field is a step not yet taken.
  // Input codes name a handle in `field`, not a config field.
  if (i.field && !INPUT_CODES.has(i.code) && isEmpty(valueAt(data, i.field)))
    return todo(emptyFieldHint(type, i.field));
  switch (i.code) {
    case 'MISSING_INPUT':
      return todo(
        i.field
          ? `Connect a node to the ${i.field} input (${i.field === 'left' ? 'L' : 'R'})`
          : `Connect an input: drag from another node’s right-hand dot to this ${label}`,
      );
    case 'DUPLICATE_INPUT':
      return error(`Too many connections lead into this ${label}: delete the extra one`);
    case 'UNEXPECTED_INPUT':
      return error(`${label} reads from the catalog and takes no input: delete the connection into it`);
    case 'TERMINAL_NODE_HAS_OUTPUT':
      return error(`${label} ends a pipeline: delete the connection leaving it`);
    case 'CYCLE':
      return error('This node feeds itself through a loop: delete one connection of the loop');
    case 'INVALID_CONFIG': {
      const field = i.field ?? '';
      // Zod's wording behind the engine's "<type>: " prefix is for developers; keep only what the user can act on.
      const message = i.message.replace(new RegExp(`^${type}: `), '');
      return error(
        friendlyTypes(
          message
            .replace(/^Too small: expected string to have >=1 characters$/, `${field || 'A field'} is empty`)
            .replace(/^Invalid option: expected one of /, `${field || 'This field'} must be one of `),
        ),
      );
    }
    default:
      return error(friendlyTypes(i.message.replace(new RegExp(`^${type}: `), '')));
  }
}

/**
 * The engine's issues for one node as a trader reads them: one sentence per problem (two issues that say the same
 * thing, like an empty database and table, become one), errors first, then what is left to do.
 */
export function describeIssues(
  type: string,
  data: Record<string, unknown>,
  issues: readonly WorkflowIssue[],
): NodeProblem[] {
  const seen = new Set<string>();
  const problems: NodeProblem[] = [];
  for (const i of issues) {
    const p = sentence(type, data, i);
    if (seen.has(p.message)) continue;
    seen.add(p.message);
    problems.push(p);
  }
  return [...problems.filter((p) => p.tone === 'error'), ...problems.filter((p) => p.tone === 'todo')];
}

export const errorsOnly = (problems: readonly NodeProblem[]) => problems.filter((p) => p.tone === 'error');
