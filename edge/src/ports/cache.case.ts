import { describe, expect, it } from 'vitest';
import type { Cache } from './cache.ts';

/** The Cache contract, run against every adapter (Hono's `common.case.test.ts` pattern). */
export function cacheContract(name: string, make: () => Cache): void {
  describe(`Cache contract: ${name}`, () => {
    const key = () => `edge-test:cache:${crypto.randomUUID()}`;

    it('returns null for a missing key', async () => {
      expect(await make().get(key())).toBeNull();
    });

    it('round-trips a string exactly, including JSON and unicode', async () => {
      const cache = make();
      const k = key();
      const value = JSON.stringify({ rows: [[1, 'ÄAPL ✓', null]], s: 'OK' });
      await cache.set(k, value, 60);
      expect(await cache.get(k)).toBe(value);
    });

    it('a value that looks like a status reply or a number stays a string', async () => {
      const cache = make();
      for (const value of ['OK', '42', 'null', '']) {
        const k = key();
        await cache.set(k, value, 60);
        expect(await cache.get(k)).toBe(value);
      }
    });

    it('reads several keys in one call, in order, null where missing', async () => {
      const cache = make();
      const [a, b, missing] = [key(), key(), key()];
      await cache.set(a, 'first', 60);
      await cache.set(b, '2', 60);
      expect(await cache.getMany([b, missing, a])).toEqual(['2', null, 'first']);
      expect(await cache.getMany([])).toEqual([]);
    });

    it('overwrites', async () => {
      const cache = make();
      const k = key();
      await cache.set(k, 'a', 60);
      await cache.set(k, 'b', 60);
      expect(await cache.get(k)).toBe('b');
    });

    it('expires after the TTL', async () => {
      const cache = make();
      const k = key();
      await cache.set(k, 'short', 1);
      expect(await cache.get(k)).toBe('short');
      await new Promise((r) => setTimeout(r, 1100));
      expect(await cache.get(k)).toBeNull();
    });

    it('pings', async () => {
      await expect(make().ping()).resolves.toBeUndefined();
    });
  });
}
