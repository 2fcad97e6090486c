import type { Cache } from '../ports/cache.ts';
import { DATA_VERSION_TTL_SECONDS, dataVersionKey } from './keys.ts';

/**
 * Current data version of each table (null when none was ever bumped), and the value at `alongside` when given — one
 * round trip (MGET) for both. Read for every preview: the versions stamp the cached answer, so a batch appended since
 * the last preview makes the next one a miss, with no TTL guessing.
 */
export async function readDataVersions(
  cache: Cache,
  tables: string[],
  alongside?: string,
): Promise<{ versions: Record<string, string | null>; value: string | null }> {
  const keys = tables.map(dataVersionKey);
  if (alongside === undefined) {
    const values = await cache.getMany(keys);
    return { versions: Object.fromEntries(tables.map((t, i) => [t, values[i] ?? null])), value: null };
  }
  const [value = null, ...values] = await cache.getMany([alongside, ...keys]);
  return { versions: Object.fromEntries(tables.map((t, i) => [t, values[i] ?? null])), value };
}

/**
 * Bumps data versions through the Cache port: what the embedded simulator uses on the in-memory cache (one process, so
 * read-then-write cannot race). The Kafka workers INCR the same keys in Redis.
 */
export async function bumpDataVersions(cache: Cache, tables: string[]): Promise<void> {
  for (const table of tables) {
    const key = dataVersionKey(table);
    const current = Number((await cache.get(key)) ?? 0);
    await cache.set(key, String(current + 1), DATA_VERSION_TTL_SECONDS);
  }
}
