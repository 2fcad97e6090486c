import { ColumnChecklist, ColumnSelect, Field, inputClass, SmallButton } from './fields.tsx';
import { AGGREGATE_FUNCTIONS, BAR_ORDERS, KPI_DEFAULT_POINTS } from '@flowforge/edge/workflow';
import { fieldError, type PanelProps } from './types.ts';

type Data = Record<string, unknown>;

export function TableViewPanel({ data, issues, update }: PanelProps<{ page?: number; page_size?: number }>) {
  return (
    <div className="space-y-2">
      <Field label="Rows per page" error={fieldError(issues, 'page_size')}>
        <select
          aria-label="Rows per page"
          className={inputClass}
          value={data.page_size ?? 50}
          onChange={(e) => update({ ...data, page_size: Number(e.target.value) })}
        >
          {[25, 50, 100, 200].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </Field>
      {fieldError(issues, 'page') ? (
        <p role="alert" className="text-xs text-red-600">
          {fieldError(issues, 'page')}
        </p>
      ) : null}
      <p className="text-xs text-slate-500">
        Browse pages, sort by a column header and export CSV in the preview below.
      </p>
    </div>
  );
}

/** Single-column pickers for chart roles such as x, time, open… */
function RolePicker({
  role,
  data,
  inputs,
  issues,
  update,
  optional = false,
}: PanelProps<Data> & { role: string; optional?: boolean }) {
  return (
    <Field label={optional ? `${role} (optional)` : role} error={fieldError(issues, role)}>
      <ColumnSelect
        ariaLabel={role}
        columns={inputs.in ?? []}
        value={typeof data[role] === 'string' ? (data[role] as string) : ''}
        placeholder={optional ? 'none' : 'Choose a column…'}
        onChange={(v) => {
          const { [role]: _old, ...rest } = data;
          update(v === '' && optional ? rest : { ...rest, [role]: v });
        }}
      />
    </Field>
  );
}

export function SeriesChartPanel(props: PanelProps<Data>) {
  const { data, inputs, issues, update } = props;
  return (
    <div className="space-y-2">
      <RolePicker {...props} role="x" />
      <ColumnChecklist
        label="y"
        columns={(inputs.in ?? []).filter((c) => c.name !== data.x)}
        value={(data.y as string[]) ?? []}
        onChange={(y) => update({ ...data, y })}
      />
      {fieldError(issues, 'y') ? (
        <p role="alert" className="text-xs text-red-600">
          {fieldError(issues, 'y')}
        </p>
      ) : null}
      <RolePicker {...props} role="series" optional />
    </div>
  );
}

const BAR_ORDER_LABELS: Record<(typeof BAR_ORDERS)[number], string> = {
  x: 'along x',
  value_desc: 'largest first',
  value_asc: 'smallest first',
};

export function BarChartPanel(props: PanelProps<Data>) {
  const { data, issues, update } = props;
  return (
    <div className="space-y-2">
      <SeriesChartPanel {...props} />
      <Field label="Order bars" error={fieldError(issues, 'order')}>
        <select
          aria-label="Order bars"
          className={inputClass}
          value={typeof data.order === 'string' ? data.order : 'x'}
          onChange={(e) => {
            const { order: _old, ...rest } = data;
            update(e.target.value === 'x' ? rest : { ...rest, order: e.target.value });
          }}
        >
          {BAR_ORDERS.map((o) => (
            <option key={o} value={o}>
              {BAR_ORDER_LABELS[o]}
              {o === 'x'
                ? ''
                : ` (by ${Array.isArray(data.y) && data.y[0] ? String(data.y[0]) : 'the first value'})`}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}

export function CandlestickPanel(props: PanelProps<Data>) {
  return (
    <div className="space-y-2">
      {['time', 'open', 'high', 'low', 'close'].map((role) => (
        <RolePicker key={role} {...props} role={role} />
      ))}
      <RolePicker {...props} role="volume" optional />
    </div>
  );
}

export function ScatterPanel(props: PanelProps<Data>) {
  return (
    <div className="space-y-2">
      <RolePicker {...props} role="x" />
      <RolePicker {...props} role="y" />
      <RolePicker {...props} role="size" optional />
      <RolePicker {...props} role="color" optional />
    </div>
  );
}

export function KpiPanel(props: PanelProps<Data>) {
  const { data, update } = props;
  return (
    <div className="space-y-2">
      <RolePicker {...props} role="value" />
      <Field label="Label (optional)">
        <input
          aria-label="Label"
          className={inputClass}
          value={(data.label as string) ?? ''}
          onChange={(e) => update({ ...data, label: e.target.value }, 'label')}
        />
      </Field>
      <Field label="Format">
        <select
          aria-label="Format"
          className={inputClass}
          value={(data.format as string) ?? 'number'}
          onChange={(e) => update({ ...data, format: e.target.value })}
        >
          <option value="number">number</option>
          <option value="currency">currency</option>
          <option value="percent">percent</option>
        </select>
      </Field>
      <RolePicker {...props} role="trend" optional />
      {typeof data.trend === 'string' ? (
        <Field label="Periods in the sparkline" error={fieldError(props.issues, 'points')}>
          <input
            aria-label="Periods in the sparkline"
            type="number"
            min={2}
            max={500}
            className={inputClass}
            value={typeof data.points === 'number' ? data.points : KPI_DEFAULT_POINTS}
            onChange={(e) => update({ ...data, points: Number(e.target.value) })}
          />
        </Field>
      ) : null}
    </div>
  );
}

type PivotValue = { column: string; function: (typeof AGGREGATE_FUNCTIONS)[number] };

export function PivotPanel({
  data,
  inputs,
  issues,
  update,
}: PanelProps<{ rows: string[]; columns: string[]; values: PivotValue[] }>) {
  const columns = inputs.in ?? [];
  const values = data.values ?? [];
  return (
    <div className="space-y-2">
      <ColumnChecklist
        label="Rows"
        columns={columns}
        value={data.rows ?? []}
        onChange={(rows) => update({ ...data, rows })}
      />
      <ColumnChecklist
        label="Columns"
        columns={columns}
        value={data.columns ?? []}
        onChange={(c) => update({ ...data, columns: c })}
      />
      <p className="text-xs font-medium text-slate-600">Values</p>
      {values.map((v, i) => (
        <div key={i} className="grid grid-cols-[auto_1fr_auto] gap-1">
          <select
            aria-label={`Pivot function ${i + 1}`}
            className={inputClass}
            value={v.function}
            onChange={(e) =>
              update({
                ...data,
                values: values.map((x, j) =>
                  j === i ? { ...v, function: e.target.value as PivotValue['function'] } : x,
                ),
              })
            }
          >
            {AGGREGATE_FUNCTIONS.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
          <ColumnSelect
            ariaLabel={`Pivot value ${i + 1}`}
            columns={columns}
            value={v.column}
            onChange={(column) =>
              update({ ...data, values: values.map((x, j) => (j === i ? { ...v, column } : x)) })
            }
          />
          <SmallButton onClick={() => update({ ...data, values: values.filter((_, j) => j !== i) })}>
            ✕
          </SmallButton>
        </div>
      ))}
      {fieldError(issues, 'values') ? (
        <p role="alert" className="text-xs text-red-600">
          {fieldError(issues, 'values')}
        </p>
      ) : null}
      <SmallButton
        onClick={() =>
          update({ ...data, values: [...values, { column: columns[0]?.name ?? '', function: 'sum' }] })
        }
      >
        + Add value
      </SmallButton>
    </div>
  );
}
