import { describe, expect, it } from 'vitest';
import type { AnalyticsEngine } from './analytics-engine.ts';

export interface EngineContractOptions {
  /** SQL that runs long enough to hit a 1 s time limit. */
  slowSql: string;
  /** The engine enforces max_rows_to_read (ClickHouse does; DuckDB has no such cap). */
  capsRowsRead: boolean;
  /** SQL answering the session's time zone (every adapter pins it to UTC: datetimes are UTC instants). */
  timeZoneSql: string;
  /** An engine pointed at nothing, to prove unreachability is reported as such. */
  unreachable?: () => AnalyticsEngine;
  /** Schema/database holding the seeded raw_trades (default `flowforge`). */
  database?: string;
}

const PREVIEW_LIMITS = { maxExecutionSeconds: 3, maxMemoryBytes: 100_000_000, maxRowsToRead: 10_000_000 };

/** Every engine seeded with the same `flowforge.raw_trades` tape must answer the same JSON-safe values. */
export function analyticsEngineContract(
  name: string,
  make: () => AnalyticsEngine,
  opts: EngineContractOptions,
): void {
  describe(`AnalyticsEngine contract: ${name}`, () => {
    const table = `${opts.database ?? 'flowforge'}.raw_trades`;
    const totals = `SELECT symbol, count(*) AS trades, sum(quantity) AS volume, min(price) AS low
      FROM ${table} WHERE trade_id LIKE 'edge-seed-%' GROUP BY symbol ORDER BY symbol`;

    it('runs SQL and returns columns and JSON-safe rows', async () => {
      const result = await make().query(totals, { limits: PREVIEW_LIMITS });
      expect(result.columns.map((c) => c.name)).toEqual(['symbol', 'trades', 'volume', 'low']);
      expect(result.rows).toHaveLength(4);
      expect(result.rows[0]).toEqual(['AAPL', 60, expect.any(Number), 100]);
      expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
      expect(JSON.parse(JSON.stringify(result.rows))).toEqual(result.rows);
    });

    it('streams the same rows', async () => {
      const { columns, rows } = await make().stream(totals);
      const out: unknown[][] = [];
      for await (const row of rows) out.push(row);
      expect(columns.map((c) => c.name)).toEqual(['symbol', 'trades', 'volume', 'low']);
      expect(out).toEqual((await make().query(totals)).rows);
    });

    it('pins every session to UTC, with and without preview limits', async () => {
      for (const options of [{}, { limits: PREVIEW_LIMITS }]) {
        const result = await make().query(opts.timeZoneSql, options);
        expect(result.rows).toEqual([['UTC']]);
      }
    });

    it('reports a bad query as invalid_query with the engine message', async () => {
      await expect(make().query(`SELECT no_such_column FROM ${table}`)).rejects.toMatchObject({
        kind: 'invalid_query',
        message: expect.stringMatching(/no_such_column/),
      });
    });

    it('stops a query at the time limit and reports timeout', async () => {
      const started = Date.now();
      await expect(
        make().query(opts.slowSql, {
          limits: { ...PREVIEW_LIMITS, maxExecutionSeconds: 1, maxRowsToRead: 1e15 },
        }),
      ).rejects.toMatchObject({ kind: 'timeout' });
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it.runIf(opts.capsRowsRead)('refuses to read more rows than max_rows_to_read', async () => {
      await expect(
        make().query('SELECT count() FROM numbers(100000000)', { limits: PREVIEW_LIMITS }),
      ).rejects.toMatchObject({ kind: 'too_expensive' });
    });

    it.runIf(opts.unreachable !== undefined)('reports an unreachable engine as unavailable', async () => {
      await expect(opts.unreachable!().query('SELECT 1')).rejects.toMatchObject({ kind: 'unavailable' });
    });
  });
}
