import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { catalogSchema, FORMULA_FUNCTIONS } from '@flowforge/edge/workflow';
import { ConfigPanel } from './ConfigPanel.tsx';
import { renderWithCanvas, sourceToFilter, TRADES_CATALOG } from './test-utils.tsx';

const options = (label: string) =>
  [...(screen.getByLabelText(label) as HTMLSelectElement).options].map((o) => o.value);

describe('ConfigPanel', () => {
  it('offers the columns the engine propagates into a filter, with type-aware operators and inputs', () => {
    const { store } = renderWithCanvas(
      <ConfigPanel catalog={TRADES_CATALOG} />,
      sourceToFilter({ logic: 'AND', conditions: [{ column: 'price', op: '>' }] }),
    );
    act(() => store.getState().setActiveNode('f'));
    expect(options('Column 1')).toEqual([
      '',
      'trade_id',
      'event_time',
      'symbol',
      'side',
      'quantity',
      'price',
      'notional',
    ]);
    expect(options('Operator 1')).toContain('BETWEEN');
    expect(options('Operator 1')).not.toContain('LIKE');
    expect((screen.getByLabelText('Value 1') as HTMLInputElement).type).toBe('number');

    fireEvent.change(screen.getByLabelText('Value 1'), { target: { value: '180.5' } });
    expect(store.getState().nodes.find((n) => n.id === 'f')!.data).toEqual({
      logic: 'AND',
      conditions: [{ column: 'price', op: '>', value: 180.5 }],
    });

    fireEvent.change(screen.getByLabelText('Column 1'), { target: { value: 'symbol' } });
    expect(options('Operator 1')).toEqual([
      '=',
      '!=',
      '>',
      '<',
      '>=',
      '<=',
      'LIKE',
      'NOT_LIKE',
      'IN',
      'NOT_IN',
      'IS_NULL',
      'IS_NOT_NULL',
      'BETWEEN',
    ]);
    expect((screen.getByLabelText('Value 1') as HTMLInputElement).type).toBe('text');
  });

  it('shows the engine message for an unknown column with a "did you mean", once, next to the condition', () => {
    const { store } = renderWithCanvas(
      <ConfigPanel catalog={TRADES_CATALOG} />,
      sourceToFilter({ logic: 'AND', conditions: [{ column: 'symbl', op: '=', value: 'AAPL' }] }),
    );
    act(() => store.getState().setActiveNode('f'));
    const alerts = screen.getAllByRole('alert').filter((a) => a.textContent?.includes('symbl'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.textContent).toContain('Unknown column "symbl"');
    expect(alerts[0]!.textContent).toContain('Did you mean "symbol"?');
    expect(screen.queryByTestId('config-issues')).toBeNull();
  });

  it('greets a fresh Data Source with one neutral hint, not a validation error', () => {
    const { store } = renderWithCanvas(<ConfigPanel catalog={TRADES_CATALOG} />, {
      nodes: [
        { id: 'src', type: 'data_source', position: { x: 0, y: 0 }, data: { database: '', table: '' } },
      ],
      edges: [],
    });
    act(() => store.getState().setActiveNode('src'));
    const hints = screen.getByTestId('config-issues').querySelectorAll('li');
    expect([...hints].map((h) => [h.textContent, h.dataset.tone])).toEqual([['→ Choose a table', 'todo']]);
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
  });

  it('tells a formula written with double quotes to use single quotes, next to the formula', () => {
    const { store } = renderWithCanvas(<ConfigPanel catalog={TRADES_CATALOG} />, {
      ...sourceToFilter({}),
      nodes: [
        ...sourceToFilter({}).nodes.filter((n) => n.id === 'src'),
        {
          id: 'f',
          type: 'formula',
          position: { x: 200, y: 0 },
          data: { formulas: [{ name: 'is_apple', expression: 'IF([symbol] = "AAPL", 1, 0)' }] },
        },
      ],
    });
    act(() => store.getState().setActiveNode('f'));
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual([
      `Formula "is_apple": Text uses single quotes: write 'AAPL' instead of "AAPL" at position 14`,
    ]);
  });

  it('recomputes dropdowns when an upstream select changes (propagate-driven)', () => {
    const graph = {
      nodes: [
        {
          id: 'src',
          type: 'data_source',
          position: { x: 0, y: 0 },
          data: { database: 'flowforge', table: 'raw_trades' },
        },
        { id: 'sel', type: 'select', position: { x: 200, y: 0 }, data: { columns: ['symbol', 'price'] } },
        {
          id: 's',
          type: 'sort',
          position: { x: 400, y: 0 },
          data: { sorts: [{ column: 'price', direction: 'DESC' }] },
        },
      ],
      edges: [
        { id: 'e1', source: 'src', target: 'sel' },
        { id: 'e2', source: 'sel', target: 's' },
      ],
    };
    const { store } = renderWithCanvas(<ConfigPanel catalog={TRADES_CATALOG} />, graph);
    act(() => store.getState().setActiveNode('s'));
    expect(options('Sort column 1')).toEqual(['', 'symbol', 'price']);
    act(() => store.getState().updateNodeData('sel', { columns: ['price', 'notional', 'symbol'] }));
    expect(options('Sort column 1')).toEqual(['', 'price', 'notional', 'symbol']);
    act(() => store.getState().undo());
    expect(options('Sort column 1')).toEqual(['', 'symbol', 'price']);
  });

  it('orders bars largest first by the first value, and back along x', () => {
    const { store } = renderWithCanvas(<ConfigPanel catalog={TRADES_CATALOG} />, {
      ...sourceToFilter({}),
      nodes: [
        ...sourceToFilter({}).nodes.filter((n) => n.id === 'src'),
        { id: 'f', type: 'bar_chart', position: { x: 200, y: 0 }, data: { x: 'symbol', y: ['price'] } },
      ],
    });
    act(() => store.getState().setActiveNode('f'));
    expect(options('Order bars')).toEqual(['x', 'value_desc', 'value_asc']);
    expect(screen.getByRole('option', { name: 'largest first (by price)' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Order bars'), { target: { value: 'value_desc' } });
    const data = () => store.getState().nodes.find((n) => n.id === 'f')!.data;
    expect(data()).toEqual({ x: 'symbol', y: ['price'], order: 'value_desc' });
    fireEvent.change(screen.getByLabelText('Order bars'), { target: { value: 'x' } });
    expect(data()).toEqual({ x: 'symbol', y: ['price'] });
  });

  it("lists the engine's formula function reference (signature, description, example)", () => {
    const { store } = renderWithCanvas(<ConfigPanel catalog={TRADES_CATALOG} />, {
      nodes: [
        {
          id: 'src',
          type: 'data_source',
          position: { x: 0, y: 0 },
          data: { database: 'flowforge', table: 'raw_trades' },
        },
        {
          id: 'fx',
          type: 'formula',
          position: { x: 200, y: 0 },
          data: { formulas: [{ name: 'n', expression: '[price] * 2' }] },
        },
      ],
      edges: [{ id: 'e1', source: 'src', target: 'fx' }],
    });
    act(() => store.getState().setActiveNode('fx'));
    const reference = screen.getByLabelText('Formula functions');
    const terms = within(reference)
      .getAllByRole('term', { hidden: true })
      .map((t) => t.textContent);
    expect(terms).toEqual(FORMULA_FUNCTIONS.map((f) => f.signature));
    expect(reference.textContent).toContain("REGEXP_MATCH([symbol], '^[A-Z]{3,4}$')");
  });

  it('finds a table by what it holds: friendly names, row counts, descriptions and columns on hover', () => {
    const catalog = [
      { ...TRADES_CATALOG[0]!, description: 'Every trade', row_count: 655000 },
      {
        ...TRADES_CATALOG[0]!,
        database: 'metrics',
        table: 'daily_rollup',
        description: 'Per symbol and day: open, high, low, close',
      },
    ];
    const { store } = renderWithCanvas(<ConfigPanel catalog={catalog} />, {
      nodes: [
        { id: 'src', type: 'data_source', position: { x: 0, y: 0 }, data: { database: '', table: '' } },
      ],
      edges: [],
    });
    act(() => store.getState().setActiveNode('src'));
    const names = () => screen.getAllByRole('option').map((o) => o.textContent);
    expect(names()).toEqual(['Raw trades · 655,000 rows', 'Daily rollup · computed view']);
    expect(screen.getAllByRole('option')[0]!.getAttribute('title')).toMatch(
      /^Every trade\n\nColumns:\ntrade_id {2}string\nevent_time {2}datetime/,
    );
    fireEvent.change(screen.getByLabelText('Search the catalog'), { target: { value: 'close' } });
    expect(names()).toEqual(['Daily rollup · computed view']);
    fireEvent.change(screen.getByLabelText('Table'), { target: { value: 'metrics.daily_rollup' } });
    expect(store.getState().nodes[0]!.data).toEqual({ database: 'metrics', table: 'daily_rollup' });
    expect(screen.getByTestId('table-details').textContent).toContain(
      'Per symbol and day: open, high, low, close',
    );
  });

  it('suggests joining on the columns both inputs share, and fills both keys with one click', () => {
    const instruments = catalogSchema.parse([
      {
        database: 'marts',
        table: 'dim_instruments',
        store: 'duckdb',
        columns: [
          { name: 'symbol', type: 'string' },
          { name: 'sector', type: 'string' },
          { name: 'side', type: 'string' },
          { name: 'price', type: 'string' },
        ],
      },
    ]);
    const { store } = renderWithCanvas(
      <ConfigPanel catalog={[...TRADES_CATALOG, ...instruments]} />,
      {
        nodes: [
          ...sourceToFilter({}).nodes.filter((n) => n.id === 'src'),
          {
            id: 'dim',
            type: 'data_source',
            position: { x: 0, y: 100 },
            data: { database: 'marts', table: 'dim_instruments' },
          },
          {
            id: 'j',
            type: 'join',
            position: { x: 200, y: 0 },
            data: { join_type: 'INNER', keys: [] },
          },
        ],
        edges: [
          { id: 'e1', source: 'src', target: 'j', targetHandle: 'left' },
          { id: 'e2', source: 'dim', target: 'j', targetHandle: 'right' },
        ],
      },
      [...TRADES_CATALOG, ...instruments],
    );
    act(() => store.getState().setActiveNode('j'));
    // price is a number on the left and text on the right: not a key.
    const buttons = within(screen.getByTestId('join-suggestions')).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['symbol = symbol', 'side = side']);
    fireEvent.click(buttons[0]!);
    expect(store.getState().nodes.find((n) => n.id === 'j')!.data).toEqual({
      join_type: 'INNER',
      keys: [{ left: 'symbol', right: 'symbol' }],
    });
    // symbol is used: side is what both sides still share, offered as a second pair.
    const more = within(screen.getByTestId('join-suggestions'));
    expect(more.getByText('Also match on:')).toBeTruthy();
    fireEvent.click(more.getByRole('button', { name: 'side = side' }));
    expect(store.getState().nodes.find((n) => n.id === 'j')!.data).toEqual({
      join_type: 'INNER',
      keys: [
        { left: 'symbol', right: 'symbol' },
        { left: 'side', right: 'side' },
      ],
    });
    expect(screen.queryByTestId('join-suggestions')).toBeNull();
    expect(screen.getAllByTestId('join-key-pair')).toHaveLength(2);
  });

  it('adds, fills and removes join key pairs, with the problem of each pair beside it', () => {
    const instruments = catalogSchema.parse([
      {
        database: 'marts',
        table: 'dim_instruments',
        store: 'duckdb',
        columns: [
          { name: 'ticker', type: 'string' },
          { name: 'listed', type: 'date' },
        ],
      },
    ]);
    const { store } = renderWithCanvas(
      <ConfigPanel catalog={[...TRADES_CATALOG, ...instruments]} />,
      {
        nodes: [
          ...sourceToFilter({}).nodes.filter((n) => n.id === 'src'),
          {
            id: 'dim',
            type: 'data_source',
            position: { x: 0, y: 100 },
            data: { database: 'marts', table: 'dim_instruments' },
          },
          { id: 'j', type: 'join', position: { x: 200, y: 0 }, data: { join_type: 'LEFT', keys: [] } },
        ],
        edges: [
          // No handle named, as templates chain a join's left side: it takes the free handle, as in the engine.
          { id: 'e1', source: 'src', target: 'j' },
          { id: 'e2', source: 'dim', target: 'j', targetHandle: 'right' },
        ],
      },
      [...TRADES_CATALOG, ...instruments],
    );
    act(() => store.getState().setActiveNode('j'));
    const keys = () => (store.getState().nodes.find((n) => n.id === 'j')!.data as { keys: unknown }).keys;
    // No shared name: no suggestion, one empty pair to fill in, and choosing a column there creates it.
    expect(screen.queryByTestId('join-suggestions')).toBeNull();
    expect(screen.getAllByTestId('join-key-pair')).toHaveLength(1);
    fireEvent.change(screen.getByLabelText('Left key 1'), { target: { value: 'symbol' } });
    fireEvent.change(screen.getByLabelText('Right key 1'), { target: { value: 'ticker' } });
    expect(keys()).toEqual([{ left: 'symbol', right: 'ticker' }]);
    fireEvent.click(screen.getByRole('button', { name: '+ Add key pair' }));
    fireEvent.change(screen.getByLabelText('Left key 2'), { target: { value: 'price' } });
    fireEvent.change(screen.getByLabelText('Right key 2'), { target: { value: 'listed' } });
    expect(keys()).toEqual([
      { left: 'symbol', right: 'ticker' },
      { left: 'price', right: 'listed' },
    ]);
    // A number against a date never matches: the engine says so under pair 2, not pair 1.
    const [first, second] = screen.getAllByTestId('join-key-pair');
    expect(within(first!).queryByRole('alert')).toBeNull();
    expect(within(second!).getByRole('alert').textContent).toMatch(
      /Join keys do not match: "price" is number/,
    );
    fireEvent.click(within(second!).getByRole('button', { name: 'Remove' }));
    expect(keys()).toEqual([{ left: 'symbol', right: 'ticker' }]);
    expect(screen.queryByRole('button', { name: 'Remove' })).toBeNull();
  });

  it('lists catalog tables in the data source panel and writes database + table', () => {
    const { store } = renderWithCanvas(<ConfigPanel catalog={TRADES_CATALOG} />, {
      nodes: [
        { id: 'src', type: 'data_source', position: { x: 0, y: 0 }, data: { database: '', table: '' } },
      ],
      edges: [],
    });
    act(() => store.getState().setActiveNode('src'));
    fireEvent.change(screen.getByLabelText('Table'), { target: { value: 'flowforge.raw_trades' } });
    expect(store.getState().nodes[0]!.data).toEqual({ database: 'flowforge', table: 'raw_trades' });
    const listed = within(screen.getByTestId('table-columns'))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(listed).toEqual([
      'trade_idstring',
      'event_timedatetime',
      'symbolstring',
      'sidestring',
      'quantitydecimal(18,4)',
      'pricedecimal(18,6)',
      'notionaldecimal(18,4)',
    ]);
  });
});
