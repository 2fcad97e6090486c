import type { WidgetOut } from '@flowforge/edge/api-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResultNotes, WidgetCard } from './WidgetCard.tsx';

const WIDGET: WidgetOut = {
  id: '11111111-1111-4111-8111-111111111111',
  dashboard_id: '22222222-2222-4222-8222-222222222222',
  workflow_id: '33333333-3333-4333-8333-333333333333',
  output_node_id: 'kpi',
  widget_type: 'kpi',
  config: { title: 'Total volume' },
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

let calls: { method: string; url: string; body: unknown }[];
let unapplied: string[];
let node: { type: string; config: Record<string, unknown> };

// The edge is replaced at the fetch boundary only: the card, its chart and its menu are real.
beforeEach(() => {
  calls = [];
  unapplied = ['date'];
  node = { type: 'kpi', config: { value: 'volume' } };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      calls.push({ method, url, body: init.body ? JSON.parse(String(init.body)) : undefined });
      if (url.includes('/export.csv')) {
        return new Response('volume\r\n1200\r\n', { status: 200, headers: { 'content-type': 'text/csv' } });
      }
      if (method === 'PATCH') {
        return Response.json(
          { error: { code: 'forbidden', message: 'Your role cannot change widgets' } },
          { status: 403 },
        );
      }
      return Response.json({
        columns: [{ name: 'volume', type: 'int64' }],
        rows: [[1200]],
        row_count: 1,
        truncated: false,
        execution_ms: 3,
        cache_hit: false,
        cache: 'miss',
        sql: 'SELECT 1',
        as_of: '2026-01-05T14:00:00.000Z',
        unapplied_filters: unapplied,
        widget_id: WIDGET.id,
        widget_type: 'kpi',
        filters: { date_from: '2026-01-05' },
        node,
      });
    }),
  );
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:csv', revokeObjectURL: () => {} }));
});
afterEach(() => vi.unstubAllGlobals());

const settle = () => act(async () => new Promise((resolve) => setTimeout(resolve, 20)));

function renderCard(props: {
  canEdit: boolean;
  onRename?: (title: string) => Promise<unknown>;
  onEmbed?: () => void;
}) {
  const onRemove = vi.fn();
  const onRename = vi.fn(props.onRename ?? (async () => {}));
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <WidgetCard
          widget={WIDGET}
          filters={{ date_from: '2026-01-05', symbols: ['AAPL'] }}
          canEdit={props.canEdit}
          onRename={onRename}
          onRemove={onRemove}
          onRendered={() => {}}
          onEmbed={props.onEmbed}
        />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { onRemove, onRename };
}

const openMenu = () => fireEvent.click(screen.getByRole('button', { name: 'Widget actions' }));

describe('WidgetCard', () => {
  it('says which dashboard filter its source cannot take, and draws the data anyway', async () => {
    renderCard({ canEdit: true });
    await settle();
    expect(screen.getByTestId('filter-not-applicable').textContent).toBe(
      'Date filter not applicable: the source has no date column',
    );
    expect(screen.getByTestId('kpi-value').textContent).toBe('1,200');
  });

  it('says nothing about filters when every filter applies', async () => {
    unapplied = [];
    renderCard({ canEdit: true });
    await settle();
    expect(screen.getByTestId('kpi-value').textContent).toBe('1,200');
    expect(screen.queryByTestId('filter-not-applicable')).toBeNull();
  });

  it("exports every row with the filters on screen, named after the widget's title", async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderCard({ canEdit: false });
    await settle();
    openMenu();
    fireEvent.click(screen.getByRole('menuitem', { name: 'Export CSV (all rows)' }));
    await settle();
    const exported = calls.find((c) => c.url.includes('/export.csv'))!;
    expect(exported.url).toBe(`/api/v1/widgets/${WIDGET.id}/export.csv?date_from=2026-01-05&symbols=AAPL`);
    expect((click.mock.instances[0] as unknown as HTMLAnchorElement).download).toBe('Total volume.csv');
    expect(screen.queryByTestId('widget-notice')).toBeNull();
  });

  it('offers Embed… only when the page passes it (admins)', async () => {
    renderCard({ canEdit: true });
    await settle();
    openMenu();
    expect(screen.queryByRole('menuitem', { name: 'Embed…' })).toBeNull();
    cleanup();
    const onEmbed = vi.fn();
    renderCard({ canEdit: true, onEmbed });
    await settle();
    openMenu();
    fireEvent.click(screen.getByRole('menuitem', { name: 'Embed…' }));
    expect(onEmbed).toHaveBeenCalledOnce();
  });

  it('renames in place: Enter saves once, Escape keeps the old title', async () => {
    const { onRename } = renderCard({ canEdit: true });
    await settle();
    fireEvent.doubleClick(screen.getByTestId('widget-title'));
    const input = screen.getByRole('textbox', { name: 'Widget title' });
    fireEvent.change(input, { target: { value: '  AAPL volume ' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await settle();
    expect(onRename.mock.calls).toEqual([['AAPL volume']]);

    openMenu();
    fireEvent.click(screen.getByRole('menuitem', { name: 'Rename…' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Widget title' }), { target: { value: 'x' } });
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Widget title' }), { key: 'Escape' });
    await settle();
    expect(onRename).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('widget-title').textContent).toBe('Total volume');
  });

  it("shows the API's message when a rename is refused", async () => {
    renderCard({
      canEdit: true,
      onRename: async () => Promise.reject(new Error('Your role cannot change widgets')),
    });
    await settle();
    fireEvent.doubleClick(screen.getByTestId('widget-title'));
    fireEvent.change(screen.getByRole('textbox', { name: 'Widget title' }), { target: { value: 'New' } });
    fireEvent.blur(screen.getByRole('textbox', { name: 'Widget title' }));
    await settle();
    expect(screen.getByTestId('widget-notice').textContent).toBe(
      'Not renamed: Your role cannot change widgets',
    );
  });

  it('draws a widget pinned on a node that is no output (a source, a filter) as a table', async () => {
    node = { type: 'data_source', config: { database: 'flowforge', table: 'raw_trades' } };
    renderCard({ canEdit: true });
    await settle();
    expect(screen.getByTestId('data-table')).toBeTruthy();
    expect(screen.queryByTestId('chart-error')).toBeNull();
  });

  it('offers a viewer no rename and no remove', async () => {
    renderCard({ canEdit: false });
    await settle();
    fireEvent.doubleClick(screen.getByTestId('widget-title'));
    expect(screen.queryByRole('textbox', { name: 'Widget title' })).toBeNull();
    openMenu();
    expect(screen.getAllByRole('menuitem').map((m) => m.textContent)).toEqual(['Export CSV (all rows)']);
  });

  it('lets an analyst remove it from the menu', async () => {
    const { onRemove } = renderCard({ canEdit: true });
    await settle();
    openMenu();
    expect(screen.getAllByRole('menuitem').map((m) => m.textContent)).toEqual([
      'Rename…',
      'Export CSV (all rows)',
      'Remove from dashboard',
    ]);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Remove from dashboard' }));
    expect(onRemove).toHaveBeenCalledTimes(1);
  });
});

describe('ResultNotes', () => {
  const notes = (truncated: boolean, total_rows: number | null) =>
    render(<ResultNotes result={{ unapplied_filters: [], truncated, row_count: 5_000, total_rows }} />)
      .container.textContent;

  it('says how many rows a cut answer had in all, when the engine counted them', () => {
    expect(notes(true, 655_000)).toBe('Showing 5,000 of 655,000 rows');
    expect(notes(true, null)).toBe('Showing first 5,000 rows');
  });

  it('says nothing about an answer that was not cut', () => {
    expect(notes(false, 5_000)).toBe('');
  });
});
