import { describe, expect, it } from 'vitest';
import { TRADES_CATALOG } from '../canvas/test-utils.tsx';
import { compileForNode } from './compile-for-node.ts';

const source = (data: Record<string, unknown>) => ({
  nodes: [
    { id: 'src', type: 'data_source', position: { x: 0, y: 0 }, data },
    {
      id: 's',
      type: 'sort',
      position: { x: 0, y: 0 },
      data: { sorts: [{ column: 'event_time', direction: 'DESC' }] },
    },
  ],
  edges: [{ id: 'e', source: 'src', target: 's' }],
});

describe('compileForNode', () => {
  it('returns the SQL of the clicked node, in the dialect of its store', () => {
    const result = compileForNode(
      source({ database: 'flowforge', table: 'raw_trades' }),
      's',
      TRADES_CATALOG,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.sql).toMatch(/FROM "flowforge"\."raw_trades"/);
    expect(result.sql).toMatch(/ORDER BY "event_time" DESC/);
    expect(
      compileForNode(source({ database: 'flowforge', table: 'raw_trades' }), 'src', TRADES_CATALOG),
    ).toMatchObject({
      ok: true,
      sql: expect.not.stringMatching(/ORDER BY/),
    });
  });

  it('reports, not throws, for a freshly dropped (unconfigured) data source', () => {
    const result = compileForNode(source({ database: '', table: '' }), 's', TRADES_CATALOG);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.messages.length).toBeGreaterThan(0);
  });
});
