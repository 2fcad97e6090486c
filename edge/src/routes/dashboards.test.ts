import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-support/harness.ts';
import { uniqueTenant } from '../test-support/stack.ts';
import { tenancySuite } from '../test-support/tenancy.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('dashboards: multi-tenancy', () => {
  tenancySuite(() => h, {
    path: '/api/v1/dashboards',
    listKey: 'dashboards',
    createBody: async () => ({ name: 'desk', filters: { symbols: ['AAPL'] }, refresh_seconds: 30 }),
    patchBody: { name: 'renamed', filters: {} },
  });
});

describe('dashboards', () => {
  it('stores layout, global filters and refresh interval', async () => {
    const api = h.as(uniqueTenant('db'), 'analyst');
    const created = await api.post('/api/v1/dashboards', {
      name: 'desk',
      layout: [{ widget_id: 'w1', x: 0, y: 0, w: 6, h: 4 }],
      filters: { date_from: '2026-01-05', symbols: ['AAPL', 'MSFT'] },
      refresh_seconds: 15,
    });
    expect(created.status).toBe(201);
    const d = (await created.json()) as { id: string };
    const patched = await api.patch(`/api/v1/dashboards/${d.id}`, { refresh_seconds: 60 });
    expect(await patched.json()).toMatchObject({
      layout: [{ widget_id: 'w1', x: 0, y: 0, w: 6, h: 4 }],
      filters: { date_from: '2026-01-05', symbols: ['AAPL', 'MSFT'] },
      refresh_seconds: 60,
    });
  });

  it('validates filters', async () => {
    const res = await h
      .as(uniqueTenant('db'))
      .post('/api/v1/dashboards', { name: 'x', filters: { date_from: 'yesterday' } });
    expect(res.status).toBe(422);
  });
});
