import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Canvas } from './Canvas.tsx';
import { Palette } from './Palette.tsx';
import { renderWithCanvas, sourceToFilter } from './test-utils.tsx';

describe('Canvas nodes', () => {
  it('paints the engine error on the broken node only', () => {
    renderWithCanvas(
      <div style={{ width: 800, height: 600 }}>
        <Canvas />
      </div>,
      sourceToFilter({ logic: 'AND', conditions: [{ column: 'price', op: 'LIKE', value: '1%' }] }),
    );
    const badges = screen.getAllByTestId('node-error-badge');
    expect(badges).toHaveLength(1);
    expect(badges[0]!.closest('[data-node-id]')!.getAttribute('data-node-id')).toBe('f');
    expect(badges[0]!.getAttribute('title')).toBe('LIKE does not apply to column "price" of type number');
    expect(screen.getByTestId('node-data_source').textContent).toContain('flowforge.raw_trades');
    expect(screen.getByTestId('node-filter').textContent).toContain('price LIKE "1%"');
  });

  it('clears the badge once the config is fixed', () => {
    const { store } = renderWithCanvas(
      <Canvas />,
      sourceToFilter({ logic: 'AND', conditions: [{ column: 'prce', op: '>', value: 1 }] }),
    );
    expect(screen.getAllByTestId('node-error-badge')).toHaveLength(1);
    act(() =>
      store
        .getState()
        .updateNodeData('f', { logic: 'AND', conditions: [{ column: 'price', op: '>', value: 1 }] }),
    );
    expect(screen.queryAllByTestId('node-error-badge')).toHaveLength(0);
  });
});

describe('Canvas nodes before they are set up', () => {
  it('shows the next step on fresh nodes instead of an error badge', () => {
    renderWithCanvas(<Canvas />, {
      nodes: [
        { id: 'src', type: 'data_source', position: { x: 0, y: 0 }, data: { database: '', table: '' } },
        { id: 'f', type: 'bar_chart', position: { x: 300, y: 0 }, data: { x: '', y: [] } },
      ],
      edges: [],
    });
    expect(screen.queryAllByTestId('node-error-badge')).toHaveLength(0);
    expect(screen.getAllByTestId('node-next-step').map((n) => n.textContent)).toEqual([
      '→ Choose a table',
      '→ Connect an input: drag from another node’s right-hand dot to this Bar Chart',
    ]);
  });
});

describe('Palette', () => {
  it('groups node types and filters them by search', () => {
    const added: string[] = [];
    renderWithCanvas(<Palette onAdd={(t) => added.push(t)} />, { nodes: [], edges: [] });
    expect(screen.getAllByRole('heading').map((h) => h.textContent)).toEqual([
      'Input',
      'Prepare',
      'Join',
      'Aggregate',
      'Output',
      'Charts',
    ]);
    fireEvent.change(screen.getByLabelText('Search nodes'), { target: { value: 'chart' } });
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['▥Bar Chart', '∿Line Chart']);
    fireEvent.click(screen.getByTestId('palette-bar_chart'));
    expect(added).toEqual(['bar_chart']);
    fireEvent.change(screen.getByLabelText('Search nodes'), { target: { value: 'zzz' } });
    expect(screen.getByText('No node matches “zzz”.')).toBeTruthy();
  });
});
