import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../../env.ts';
import { afterResponse, nodeExecutionContext, waitUntil } from './index.ts';

function appWith(work: () => Promise<unknown>, order: string[]) {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => {
    afterResponse(
      c,
      async () => {
        order.push('work');
        await work();
      },
      'test write',
    );
    order.push('handler returned');
    return c.text('ok');
  });
  return app;
}

describe('afterResponse', () => {
  it('starts the work after the response is handed over and hands it to waitUntil', async () => {
    const order: string[] = [];
    const kept: Promise<unknown>[] = [];
    const ctx = { ...nodeExecutionContext, waitUntil: (p: Promise<unknown>) => void kept.push(p) };
    const res = await appWith(async () => {}, order).fetch(new Request('http://x/'), {}, ctx);
    order.push('response');
    expect(await res.text()).toBe('ok');
    expect(kept).toHaveLength(1);
    await kept[0];
    expect(order).toEqual(['handler returned', 'response', 'work']);
  });

  it('logs a failure instead of throwing, with or without an ExecutionContext', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const failing = () => Promise.reject(new Error('store down'));
      expect((await appWith(failing, []).request('/')).status).toBe(200);
      expect(
        (await appWith(failing, []).fetch(new Request('http://x/'), {}, nodeExecutionContext)).status,
      ).toBe(200);
      await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(2));
      expect(warn).toHaveBeenCalledWith(
        'test write failed:',
        expect.objectContaining({ message: 'store down' }),
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe('waitUntil', () => {
  it('says whether the request came with an ExecutionContext (the Node entries pass one)', async () => {
    const app = new Hono<AppEnv>();
    app.get('/', (c) => c.text(String(waitUntil(c, Promise.resolve()))));
    expect(await (await app.request('/')).text()).toBe('false');
    expect(await (await app.fetch(new Request('http://x/'), {}, nodeExecutionContext)).text()).toBe('true');
  });
});
