import { createClient } from '@clickhouse/client';
import { stackEnv } from './stack.ts';

/**
 * A ClickHouse table of the stack's own for one test file (`flowforge.<prefix>_<pid>`, found by the catalog like the
 * plan's tables): bumping the data version of a shared table would turn other suites' expected cache hits into misses.
 * `create` replaces any leftover of an earlier run; `drop` also closes the client.
 */
export function privateTable(prefix: string, columns: string, values: string) {
  const name = `flowforge.${prefix}_${process.pid}`;
  const clickhouse = createClient({ url: stackEnv.CLICKHOUSE_URL });
  const run = (query: string) => clickhouse.command({ query });
  return {
    name,
    /** Its name without the database, as a data_source node names it. */
    table: name.split('.')[1]!,
    run,
    async create() {
      await run(`DROP TABLE IF EXISTS ${name}`);
      await run(`CREATE TABLE ${name} (${columns}) ENGINE = MergeTree ORDER BY tuple()`);
      await run(`INSERT INTO ${name} VALUES ${values}`);
    },
    async drop() {
      await run(`DROP TABLE IF EXISTS ${name}`);
      await clickhouse.close();
    },
  };
}
