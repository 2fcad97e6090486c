import {
  FILTER_OPS,
  filterOpsFor,
  isDateTime,
  isNumeric,
  type Column,
  type ColumnType,
} from '@flowforge/edge/workflow';
import { ColumnSelect, Field, inputClass, SmallButton } from './fields.tsx';
import { fieldError, type PanelProps } from './types.ts';

type Op = (typeof FILTER_OPS)[number];
type Condition = { column: string; op: Op; value?: unknown };
type Data = { logic: 'AND' | 'OR'; conditions: Condition[] };

const OP_LABELS: Record<Op, string> = {
  '=': 'equals',
  '!=': 'not equal',
  '>': 'greater than',
  '<': 'less than',
  '>=': 'at least',
  '<=': 'at most',
  LIKE: 'matches (LIKE)',
  NOT_LIKE: 'does not match',
  IN: 'is one of',
  NOT_IN: 'is none of',
  IS_NULL: 'is empty',
  IS_NOT_NULL: 'is not empty',
  BETWEEN: 'between',
};

/** The engine's own rule for which operators apply; before a column is chosen every operator is offered. */
const operatorsFor = (type: ColumnType | undefined): readonly Op[] =>
  type ? filterOpsFor(type) : FILTER_OPS;

/** Turns what the user typed into the JSON value the engine expects for this column type. */
export function parseScalar(type: ColumnType, text: string): unknown {
  if (isNumeric(type)) return text.trim() === '' || Number.isNaN(Number(text)) ? text : Number(text);
  if (type === 'boolean') return text === 'true';
  if (isDateTime(type) && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text)) return `${text}:00`;
  return text;
}

function ScalarInput({
  type,
  value,
  onChange,
  label,
}: {
  type: ColumnType;
  value: unknown;
  onChange: (v: unknown) => void;
  label: string;
}) {
  if (type === 'boolean') {
    return (
      <select
        aria-label={label}
        className={inputClass}
        value={String(value ?? 'true')}
        onChange={(e) => onChange(e.target.value === 'true')}
      >
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  const htmlType = isNumeric(type)
    ? 'number'
    : type === 'date'
      ? 'date'
      : isDateTime(type)
        ? 'datetime-local'
        : 'text';
  const text =
    value === undefined || value === null
      ? ''
      : String(value).slice(0, htmlType === 'datetime-local' ? 16 : undefined);
  return (
    <input
      aria-label={label}
      className={inputClass}
      type={htmlType}
      step={htmlType === 'number' ? 'any' : undefined}
      value={text}
      onChange={(e) => onChange(parseScalar(type, e.target.value))}
    />
  );
}

function ValueEditor({
  column,
  condition,
  onChange,
  index,
}: {
  column: Column | undefined;
  condition: Condition;
  onChange: (v: unknown) => void;
  index: number;
}) {
  const type: ColumnType = column?.type ?? 'string';
  if (condition.op === 'IS_NULL' || condition.op === 'IS_NOT_NULL') return null;
  if (condition.op === 'IN' || condition.op === 'NOT_IN') {
    const list = Array.isArray(condition.value) ? condition.value : [];
    return (
      <input
        aria-label={`Values ${index + 1}`}
        className={inputClass}
        placeholder="comma-separated values"
        defaultValue={list.join(', ')}
        onChange={(e) =>
          onChange(
            e.target.value
              .split(',')
              .map((v) => v.trim())
              .filter(Boolean)
              .map((v) => parseScalar(type, v)),
          )
        }
      />
    );
  }
  if (condition.op === 'BETWEEN') {
    const pair = Array.isArray(condition.value) ? condition.value : [undefined, undefined];
    return (
      <div className="grid grid-cols-2 gap-1">
        <ScalarInput
          type={type}
          label={`From ${index + 1}`}
          value={pair[0]}
          onChange={(v) => onChange([v, pair[1]])}
        />
        <ScalarInput
          type={type}
          label={`To ${index + 1}`}
          value={pair[1]}
          onChange={(v) => onChange([pair[0], v])}
        />
      </div>
    );
  }
  return <ScalarInput type={type} label={`Value ${index + 1}`} value={condition.value} onChange={onChange} />;
}

export function FilterPanel({ data, inputs, issues, update }: PanelProps<Data>) {
  const columns = inputs.in ?? [];
  const conditions = data.conditions ?? [];
  const setCondition = (index: number, next: Condition, key?: string) =>
    update({ ...data, conditions: conditions.map((c, i) => (i === index ? next : c)) }, key);
  return (
    <div className="space-y-3">
      <Field label="Rows must match">
        <select
          aria-label="Logic"
          className={inputClass}
          value={data.logic}
          onChange={(e) => update({ ...data, logic: e.target.value as Data['logic'] })}
        >
          <option value="AND">all conditions (AND)</option>
          <option value="OR">any condition (OR)</option>
        </select>
      </Field>
      {conditions.map((condition, index) => {
        const column = columns.find((c) => c.name === condition.column);
        const ops = operatorsFor(column?.type);
        return (
          <div
            key={index}
            className="space-y-1 rounded border border-slate-200 p-2"
            data-testid="filter-condition"
          >
            <ColumnSelect
              ariaLabel={`Column ${index + 1}`}
              columns={columns}
              value={condition.column}
              onChange={(name) => {
                const type = columns.find((c) => c.name === name)?.type;
                const op = operatorsFor(type).includes(condition.op) ? condition.op : '=';
                setCondition(index, { column: name, op });
              }}
            />
            <select
              aria-label={`Operator ${index + 1}`}
              className={inputClass}
              value={condition.op}
              onChange={(e) => {
                const op = e.target.value as Op;
                const { value: _dropped, ...rest } = condition;
                setCondition(
                  index,
                  op === 'IS_NULL' || op === 'IS_NOT_NULL' ? { ...rest, op } : { ...condition, op },
                );
              }}
            >
              {ops.map((op) => (
                <option key={op} value={op}>
                  {OP_LABELS[op]}
                </option>
              ))}
            </select>
            <ValueEditor
              index={index}
              column={column}
              condition={condition}
              onChange={(value) => setCondition(index, { ...condition, value }, `conditions.${index}.value`)}
            />
            {fieldError(issues, `conditions[${index}]`) ? (
              <p role="alert" className="text-xs text-red-600">
                {fieldError(issues, `conditions[${index}]`)}
              </p>
            ) : null}
            <SmallButton
              onClick={() => update({ ...data, conditions: conditions.filter((_, i) => i !== index) })}
            >
              Remove
            </SmallButton>
          </div>
        );
      })}
      <SmallButton
        onClick={() =>
          update({ ...data, conditions: [...conditions, { column: columns[0]?.name ?? '', op: '=' }] })
        }
      >
        + Add condition
      </SmallButton>
    </div>
  );
}
