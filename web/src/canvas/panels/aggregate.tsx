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

type KeyPair = { left: string; right: string };

/**
 * Columns both join inputs have, with types that compare and not yet used by a key pair: the keys a join most likely
 * wants next, whichever pair the user is on.
 */
export function sharedKeys(
  left: readonly Column[],
  right: readonly Column[],
  used: readonly KeyPair[] = [],
): string[] {
  return left
    .filter((l) => right.some((r) => r.name === l.name && comparable(l.type, r.type)))
    .map((l) => l.name)
    .filter((name) => !used.some((pair) => pair.left === name || pair.right === name));
}

/** A suggested key fills the first pair still empty, or becomes a new pair. */
export function withKeyPair(keys: readonly KeyPair[], key: string): KeyPair[] {
  const empty = keys.findIndex((pair) => pair.left === '' && pair.right === '');
  const pair = { left: key, right: key };
  return empty === -1 ? [...keys, pair] : keys.map((p, i) => (i === empty ? pair : p));
}

export function JoinPanel({
  data,
  inputs,
  issues,
  update,
}: PanelProps<{ join_type: string; keys: KeyPair[] }>) {
  const keys = data.keys ?? [];
  // A join without keys still shows one empty pair to fill in; choosing a column there creates it.
  const shown = keys.length > 0 ? keys : [{ left: '', right: '' }];
  const setKeys = (next: KeyPair[]) => update({ ...data, keys: next });
  const setPair = (i: number, pair: KeyPair) => setKeys(shown.map((p, j) => (j === i ? pair : p)));
  const suggestions =
    inputs.left && inputs.right ? sharedKeys(inputs.left, inputs.right, keys).slice(0, 6) : [];
  const complete = keys.some((pair) => pair.left && pair.right);
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
          <p className="text-xs text-sky-800">
            {complete ? 'Also match on:' : 'Both inputs have these columns — join on:'}
          </p>
          <div className="flex flex-wrap gap-1">
            {suggestions.map((key) => (
              <SmallButton key={key} onClick={() => setKeys(withKeyPair(keys, key))}>
                {key} = {key}
              </SmallButton>
            ))}
          </div>
        </div>
      ) : null}
      <p className="text-xs font-medium text-slate-600">Match rows where</p>
      {shown.map((pair, i) => (
        <div key={i} className="space-y-1 rounded border border-slate-200 p-2" data-testid="join-key-pair">
          <div className="grid grid-cols-[1fr_auto_1fr] items-center gap-1">
            <ColumnSelect
              ariaLabel={`Left key ${i + 1}`}
              columns={inputs.left ?? []}
              value={pair.left}
              onChange={(left) => setPair(i, { ...pair, left })}
              placeholder={inputs.left ? 'Left…' : 'Connect L'}
            />
            <span className="text-xs text-slate-500" aria-hidden>
              =
            </span>
            <ColumnSelect
              ariaLabel={`Right key ${i + 1}`}
              columns={inputs.right ?? []}
              value={pair.right}
              onChange={(right) => setPair(i, { ...pair, right })}
              placeholder={inputs.right ? 'Right…' : 'Connect R'}
            />
          </div>
          {fieldError(issues, `keys[${i}]`) ? (
            <p role="alert" className="text-xs text-red-600">
              {fieldError(issues, `keys[${i}]`)}
            </p>
          ) : null}
          {shown.length > 1 ? (
            <SmallButton
              title={`Remove key pair ${i + 1}`}
              onClick={() => setKeys(keys.filter((_, j) => j !== i))}
            >
              Remove
            </SmallButton>
          ) : null}
        </div>
      ))}
      <SmallButton onClick={() => setKeys([...shown, { left: '', right: '' }])}>+ Add key pair</SmallButton>
      <p className="text-xs text-slate-500">
        Rows match when every pair is equal. Right-side columns whose names clash get the suffix “_right”.
      </p>
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
