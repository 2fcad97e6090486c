/** One line under a node's title saying what it does, so a canvas reads without opening panels. */
export function summarizeConfig(type: string, data: Record<string, unknown>): string {
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String).join(', ') : '');
  switch (type) {
    case 'data_source':
      return data.database && data.table ? `${String(data.database)}.${String(data.table)}` : '';
    case 'filter': {
      const conditions =
        (data.conditions as { column?: string; op?: string; value?: unknown }[] | undefined) ?? [];
      return conditions
        .map(
          (c) =>
            `${c.column ?? '?'} ${c.op ?? ''}${c.value === undefined ? '' : ` ${JSON.stringify(c.value)}`}`,
        )
        .join(` ${String(data.logic ?? 'AND')} `);
    }
    case 'select':
    case 'unique':
      return list(data.columns);
    case 'sort':
      return ((data.sorts as { column: string; direction: string }[] | undefined) ?? [])
        .map((s) => `${s.column} ${s.direction}`)
        .join(', ');
    case 'group_by': {
      const aggs = ((data.aggregations as { function: string; column: string }[] | undefined) ?? []).map(
        (a) => `${a.function}(${a.column})`,
      );
      const keys = list(data.group_by);
      return [keys && `by ${keys}`, aggs.join(', ')].filter(Boolean).join(': ');
    }
    case 'join': {
      const pairs = ((data.keys as { left: string; right: string }[] | undefined) ?? [])
        .filter((k) => k.left && k.right)
        .map((k) => `${k.left} = ${k.right}`);
      return pairs.length > 0 ? `${String(data.join_type)} on ${pairs.join(', ')}` : '';
    }
    case 'union':
      return `UNION ${String(data.mode ?? 'ALL')}`;
    case 'formula':
      return ((data.formulas as { name: string }[] | undefined) ?? []).map((f) => f.name).join(', ');
    case 'rename':
      return Object.entries((data.renames as Record<string, string> | undefined) ?? {})
        .map(([from, to]) => `${from} → ${to}`)
        .join(', ');
    case 'sample':
      return data.percent !== undefined
        ? `${String(data.percent)} %`
        : data.n !== undefined
          ? `${String(data.n)} rows`
          : '';
    case 'table_view':
      return `${String(data.page_size ?? 50)} rows per page`;
    case 'bar_chart':
    case 'line_chart':
    case 'scatter':
      return data.x
        ? `${String(data.x)} × ${Array.isArray(data.y) ? list(data.y) : String(data.y ?? '')}`
        : '';
    case 'candlestick':
      return data.time ? `${String(data.time)} OHLC` : '';
    case 'kpi':
      return data.value ? String(data.value) : '';
    case 'pivot':
      return list(data.rows) && `${list(data.rows)} × ${list(data.columns)}`;
    default:
      return '';
  }
}
