import { describe, expect, it } from 'vitest';
import { afterThisMacrotask, settlesAtOnce } from './macrotask.ts';

describe('afterThisMacrotask', () => {
  it("runs after the current macrotask's microtasks", async () => {
    const order: string[] = [];
    await new Promise<void>((done) => {
      afterThisMacrotask(() => {
        order.push('after');
        done();
      });
      void Promise.resolve().then(() => order.push('microtask'));
      order.push('sync');
    });
    expect(order).toEqual(['sync', 'microtask', 'after']);
  });
});

describe('settlesAtOnce', () => {
  it('is true for a promise settled by microtasks, resolved or rejected', async () => {
    expect(await settlesAtOnce(Promise.resolve(1))).toBe(true);
    expect(await settlesAtOnce(Promise.resolve().then(() => 2))).toBe(true);
    expect(await settlesAtOnce(Promise.reject(new Error('no')))).toBe(true);
  });

  it('is false for a promise settled by a later event', async () => {
    const timer = new Promise((resolve) => setTimeout(resolve, 5));
    expect(await settlesAtOnce(timer)).toBe(false);
    await timer;
  });
});
