import { ColumnChecklist, ColumnSelect, Field, inputClass, SmallButton } from './fields.tsx';
import { fieldError, type PanelProps } from './types.ts';

export function SelectPanel({ data, inputs, issues, update }: PanelProps<{ columns: string[] }>) {
  return (
    <div className="space-y-2">
      <ColumnChecklist
        label="Columns to keep (in click order)"
        columns={inputs.in ?? []}
        value={data.columns ?? []}
        onChange={(columns) => update({ columns })}
      />
      <FieldErrors issues={issues} field="columns" />
    </div>
  );
}

export function UniquePanel({ data, inputs, issues, update }: PanelProps<{ columns?: string[] }>) {
  return (
    <div className="space-y-2">
      <p className="text-xs text-slate-500">Leave all unchecked to compare whole rows.</p>
      <ColumnChecklist
        label="Columns that define a duplicate"
        columns={inputs.in ?? []}
        value={data.columns ?? []}
        onChange={(columns) => update(columns.length === 0 ? {} : { columns })}
      />
      <FieldErrors issues={issues} field="columns" />
    </div>
  );
}

type Sort = { column: string; direction: 'ASC' | 'DESC' };

export function SortPanel({ data, inputs, issues, update }: PanelProps<{ sorts: Sort[] }>) {
  const sorts = data.sorts ?? [];
  const set = (i: number, s: Sort) => update({ sorts: sorts.map((x, j) => (j === i ? s : x)) });
  return (
    <div className="space-y-2">
      {sorts.map((s, i) => (
        <div key={i} className="grid grid-cols-[1fr_auto_auto] gap-1" data-testid="sort-key">
          <ColumnSelect
            ariaLabel={`Sort column ${i + 1}`}
            columns={inputs.in ?? []}
            value={s.column}
            onChange={(column) => set(i, { ...s, column })}
          />
          <select
            aria-label={`Direction ${i + 1}`}
            className={inputClass}
            value={s.direction}
            onChange={(e) => set(i, { ...s, direction: e.target.value as Sort['direction'] })}
          >
            <option value="ASC">ASC</option>
            <option value="DESC">DESC</option>
          </select>
          <SmallButton onClick={() => update({ sorts: sorts.filter((_, j) => j !== i) })}>✕</SmallButton>
        </div>
      ))}
      <FieldErrors issues={issues} field="sorts" />
      <SmallButton
        onClick={() =>
          update({ sorts: [...sorts, { column: inputs.in?.[0]?.name ?? '', direction: 'ASC' }] })
        }
      >
        + Add sort key
      </SmallButton>
    </div>
  );
}

export function RenamePanel({
  data,
  inputs,
  issues,
  update,
}: PanelProps<{ renames: Record<string, string> }>) {
  const renames = data.renames ?? {};
  return (
    <div className="space-y-1">
      {(inputs.in ?? []).map((c) => (
        <Field key={c.name} label={c.name}>
          <input
            aria-label={`New name for ${c.name}`}
            className={inputClass}
            placeholder="keep name"
            value={renames[c.name] ?? ''}
            onChange={(e) => {
              const { [c.name]: _old, ...rest } = renames;
              update(
                { renames: e.target.value ? { ...rest, [c.name]: e.target.value } : rest },
                `rename.${c.name}`,
              );
            }}
          />
        </Field>
      ))}
      <FieldErrors issues={issues} field="renames" />
    </div>
  );
}

export function SamplePanel({
  data,
  issues,
  update,
}: PanelProps<{ n?: number; percent?: number; seed?: number }>) {
  const byPercent = data.percent !== undefined;
  const seed = data.seed === undefined ? {} : { seed: data.seed };
  return (
    <div className="space-y-2">
      <Field label="Sample by">
        <select
          aria-label="Sample by"
          className={inputClass}
          value={byPercent ? 'percent' : 'n'}
          onChange={(e) =>
            update(e.target.value === 'percent' ? { percent: 10, ...seed } : { n: 1000, ...seed })
          }
        >
          <option value="n">number of rows</option>
          <option value="percent">percent of rows</option>
        </select>
      </Field>
      <Field label={byPercent ? 'Percent' : 'Rows'} error={fieldError(issues, byPercent ? 'percent' : 'n')}>
        <input
          aria-label={byPercent ? 'Percent' : 'Rows'}
          type="number"
          className={inputClass}
          value={(byPercent ? data.percent : data.n) ?? ''}
          onChange={(e) =>
            update(
              {
                ...(byPercent ? { percent: Number(e.target.value) } : { n: Number(e.target.value) }),
                ...seed,
              },
              'size',
            )
          }
        />
      </Field>
      <Field label="Seed (optional, makes the sample repeatable)" error={fieldError(issues, 'seed')}>
        <input
          aria-label="Seed"
          type="number"
          className={inputClass}
          value={data.seed ?? ''}
          onChange={(e) => {
            const { seed: _s, ...rest } = data;
            update(e.target.value === '' ? rest : { ...rest, seed: Number(e.target.value) }, 'seed');
          }}
        />
      </Field>
    </div>
  );
}

export function FieldErrors({ issues, field }: { issues: PanelProps['issues']; field: string }) {
  const message = fieldError(issues, field);
  return message ? (
    <p role="alert" className="text-xs text-red-600">
      {message}
    </p>
  ) : null;
}
