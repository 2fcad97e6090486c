import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TableBrowser } from './TableBrowser.tsx';

const graph = { nodes: [], edges: [] };
let requests: Record<string, unknown>[];

// The edge is replaced at the fetch boundary only: the component, its paging rules and the grid are real.
beforeEach(() => {
  requests = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as { page: number; page_size: number };
      requests.push(body);
      const rows = Array.from({ length: body.page_size }, (_, i) => [`r${body.page * body.page_size + i}`]);
      const payload = {
        columns: [{ name: 'id', type: 'string' }],
        rows,
        row_count: rows.length,
        truncated: false,
        execution_ms: 3,
        cache_hit: false,
        cache: 'miss',
        sql: 'SELECT 1',
        page: body.page,
        page_size: body.page_size,
      };
      return new Response(JSON.stringify(payload), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

const settle = () => act(async () => new Promise((resolve) => setTimeout(resolve, 10)));

describe('TableBrowser', () => {
  it('pages until the 10 000-row offset cap, then says to filter or export', async () => {
    render(<TableBrowser exportName="t" graph={graph} targetNodeId="t" pageSize={4000} />);
    await settle();
    const next = screen.getByRole('button', { name: 'Next →' });
    expect(screen.queryByTestId('table-message')).toBeNull();
    fireEvent.click(next);
    await settle();
    fireEvent.click(next);
    await settle();
    expect(screen.getByTestId('table-page').textContent).toBe('Page 3');
    expect((next as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('table-message').textContent).toContain(
      'add a filter to narrow the results, or export',
    );
    expect(requests.map((r) => r.page)).toEqual([0, 1, 2]);
  });

  it('cycles a view-only header sort ASC → DESC → off and restarts at page 1', async () => {
    render(<TableBrowser exportName="t" graph={graph} targetNodeId="t" pageSize={50} />);
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Next →' }));
    await settle();
    const header = () => screen.getByTitle('Sort by id');
    fireEvent.click(header());
    await settle();
    expect(requests.at(-1)).toMatchObject({ page: 0, sort: [{ column: 'id', direction: 'ASC' }] });
    fireEvent.click(header());
    await settle();
    expect(requests.at(-1)).toMatchObject({ sort: [{ column: 'id', direction: 'DESC' }] });
    expect(header().textContent).toContain('▼');
    fireEvent.click(header());
    await settle();
    expect(requests.at(-1)!.sort).toBeUndefined();
    expect(requests.at(-1)!.graph).toEqual(graph);
  });
});
