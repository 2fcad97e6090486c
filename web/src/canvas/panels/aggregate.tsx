import {
  AGGREGATE_FUNCTIONS,
  aggregateFunctionsFor,
  FORMULA_FUNCTIONS,
  FORMULA_OPERATORS,
  type Column,
  type ColumnType,
} from '@flowforge/edge/workflow';
import { comparable } from '@flowforge/edge/workflow/types';
import { FieldErrors } from './columns.tsx';
import { ColumnChecklist, ColumnSelect, Field, inputClass, SmallButton } from './fields.tsx';
import { fieldError, type PanelProps } from './types.ts';

type Fn = (typeof AGGREGATE_FUNCTIONS)[number];
type Aggregation = { function: Fn; column: string; alias?: string };

/** The engine's rule for which functions apply; `count(*)` (no column yet) can be any of them. */
const functionsFor = (type: ColumnType | undefined): readonly Fn[] =>
  type ? aggregateFunctionsFor(type) : AGGREGATE_FUNCTIONS;

export function GroupByPanel({
  data,
  inputs,
  issues,
  update,
}: PanelProps<{ group_by: string[]; aggregations: Aggregation[] }>) {
  const columns = inputs.in ?? [];
  const aggregations = data.aggregations ?? [];
  const set = (i: number, a: Aggregation, key?: string) =>
    update({ ...data, aggregations: aggregations.map((x, j) => (j === i ? a : x)) }, key);
  return (
    <div className="space-y-3">
      <ColumnChecklist
        label="Group by"
        columns={columns}
        value={data.group_by ?? []}
        onChange={(group_by) => update({ ...data, group_by })}
      />
      <FieldErrors issues={issues} field="group_by" />
      <p className="text-xs font-medium text-slate-600">Aggregations</p>
      {aggregations.map((a, i) => {
        const type = columns.find((c) => c.name === a.column)?.type;
        return (
          <div key={i} className="space-y-1 rounded border border-slate-200 p-2" data-testid="aggregation">
            <div className="grid grid-cols-2 gap-1">
              <select
                aria-label={`Function ${i + 1}`}
                className={inputClass}
                value={a.function}
                onChange={(e) => set(i, { ...a, function: e.target.value as Fn })}
              >
                {functionsFor(type).map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
              <ColumnSelect
                ariaLabel={`Aggregate column ${i + 1}`}
                columns={columns}
                value={a.column}
                allowStar={a.function === 'count'}
                onChange={(column) => set(i, { ...a, column })}
              />
            </div>
            <input
              aria-label={`Alias ${i + 1}`}
              className={inputClass}
              placeholder={a.column === '*' ? 'count' : `${a.function}_${a.column || 'column'}`}
              value={a.alias ?? ''}
              onChange={(e) => {
                const { alias: _a, ...rest } = a;
                set(i, e.target.value ? { ...rest, alias: e.target.value } : rest, `alias.${i}`);
              }}
            />
            {fieldError(issues, `aggregations[${i}]`) ? (
              <p role="alert" className="text-xs text-red-600">
                {fieldError(issues, `aggregations[${i}]`)}
              </p>
            ) : null}
            <SmallButton
              onClick={() => update({ ...data, aggregations: aggregations.filter((_, j) => j !== i) })}
            >
              Remove
            </SmallButton>
          </div>
        );
      })}
      <SmallButton
        onClick={() =>
          update({ ...data, aggregations: [...aggregations, { function: 'count', column: '*' }] })
        }
      >
        + Add aggregation
      </SmallButton>
    </div>
  );
}

/** Columns both join inputs have, with types that compare: the keys a join most likely wants. */
export function sharedKeys(left: readonly Column[], right: readonly Column[]): string[] {
  return left
    .filter((l) => right.some((r) => r.name === l.name && comparable(l.type, r.type)))
    .map((l) => l.name);
}

export function JoinPanel({
  data,
  inputs,
  issues,
  update,
}: PanelProps<{ join_type: string; left_key: string; right_key: string }>) {
  const suggestions =
    inputs.left && inputs.right && !(data.left_key && data.right_key)
      ? sharedKeys(inputs.left, inputs.right).slice(0, 6)
      : [];
  return (
    <div className="space-y-2">
      <Field label="Join type">
        <select
          aria-label="Join type"
          className={inputClass}
          value={data.join_type}
          onChange={(e) => update({ ...data, join_type: e.target.value })}
        >
          {['INNER', 'LEFT', 'RIGHT', 'FULL'].map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      {suggestions.length > 0 ? (
        <div className="space-y-1 rounded border border-sky-200 bg-sky-50 p-2" data-testid="join-suggestions">
          <p className="text-xs text-sky-800">Both inputs have these columns — join on:</p>
          <div className="flex flex-wrap gap-1">
            {suggestions.map((key) => (
              <SmallButton key={key} onClick={() => update({ ...data, left_key: key, right_key: key })}>
                {key} = {key}
              </SmallButton>
            ))}
          </div>
        </div>
      ) : null}
      <Field label="Left key" error={fieldError(issues, 'left_key')}>
        <ColumnSelect
          ariaLabel="Left key"
          columns={inputs.left ?? []}
          value={data.left_key}
          onChange={(left_key) => update({ ...data, left_key })}
          placeholder={inputs.left ? 'Choose…' : 'Connect the left input'}
        />
      </Field>
      <Field label="Right key" error={fieldError(issues, 'right_key')}>
        <ColumnSelect
          ariaLabel="Right key"
          columns={inputs.right ?? []}
          value={data.right_key}
          onChange={(right_key) => update({ ...data, right_key })}
          placeholder={inputs.right ? 'Choose…' : 'Connect the right input'}
        />
      </Field>
      <p className="text-xs text-slate-500">Right-side columns whose names clash get the suffix “_right”.</p>
    </div>
  );
}

export function UnionPanel({ data, issues, update }: PanelProps<{ mode: 'ALL' | 'DISTINCT' }>) {
  return (
    <div className="space-y-2">
      <Field label="Mode" error={fieldError(issues, 'mode')}>
        <select
          aria-label="Mode"
          className={inputClass}
          value={data.mode}
          onChange={(e) => update({ mode: e.target.value as 'ALL' | 'DISTINCT' })}
        >
          <option value="ALL">keep duplicates (UNION ALL)</option>
          <option value="DISTINCT">remove duplicates (UNION DISTINCT)</option>
        </select>
      </Field>
      <p className="text-xs text-slate-500">Inputs are matched by column name, in connection order.</p>
    </div>
  );
}

export function FormulaPanel({
  data,
  inputs,
  issues,
  update,
}: PanelProps<{ formulas: { name: string; expression: string }[] }>) {
  const formulas = data.formulas ?? [];
  const set = (i: number, f: { name: string; expression: string }, key: string) =>
    update({ formulas: formulas.map((x, j) => (j === i ? f : x)) }, key);
  return (
    <div className="space-y-2">
      {formulas.map((f, i) => (
        <div key={i} className="space-y-1 rounded border border-slate-200 p-2" data-testid="formula">
          <input
            aria-label={`Formula name ${i + 1}`}
            className={inputClass}
            placeholder="new_column"
            value={f.name}
            onChange={(e) => set(i, { ...f, name: e.target.value }, `name.${i}`)}
          />
          <textarea
            aria-label={`Expression ${i + 1}`}
            className={`${inputClass} font-mono`}
            rows={2}
            placeholder="[price] * [quantity]"
            value={f.expression}
            onChange={(e) => set(i, { ...f, expression: e.target.value }, `expr.${i}`)}
          />
          {fieldError(issues, `formulas[${i}]`) ? (
            <p role="alert" className="text-xs text-red-600">
              {fieldError(issues, `formulas[${i}]`)}
            </p>
          ) : null}
          <SmallButton onClick={() => update({ formulas: formulas.filter((_, j) => j !== i) })}>
            Remove
          </SmallButton>
        </div>
      ))}
      <SmallButton
        onClick={() =>
          update({ formulas: [...formulas, { name: `formula_${formulas.length + 1}`, expression: '' }] })
        }
      >
        + Add formula
      </SmallButton>
      <details className="text-xs text-slate-500">
        <summary>Columns and functions</summary>
        <p className="mt-1">Columns: {(inputs.in ?? []).map((c) => `[${c.name}]`).join(' ')}</p>
        <p className="mt-1">Operators: {FORMULA_OPERATORS}</p>
        <dl className="mt-1 space-y-1" aria-label="Formula functions">
          {FORMULA_FUNCTIONS.map((f) => (
            <div key={f.name}>
              <dt className="font-mono text-slate-700">{f.signature}</dt>
              <dd>
                {f.description} — <code>{f.example}</code>
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
