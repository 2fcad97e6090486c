import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { generateHistory } from '@flowforge/pipeline/market';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, isSeeded, seedMarket, seededTrades, type SeedProgress } from './duckdb-market.ts';
import { MarketSimulator, type Tick } from './simulator.ts';

let instance: DuckDBInstance;
let db: DuckDBConnection;
const progress: SeedProgress[] = [];

const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  await seedMarket(db, {
    days: 21,
    tradesPerDayPerSymbol: 5_000,
    seed: 42,
    end: new Date('2026-03-02T00:00:00Z'),
    onProgress: (p) => progress.push(p),
  });
});

afterAll(() => {
  db.closeSync();
  instance.closeSync();
});

describe('seedMarket', () => {
  it('loads 15 trading days × 10 symbols × 5 000 trades and one quote per 5 trades', async () => {
    expect(await rows('SELECT count(*)::INTEGER AS n FROM flowforge.raw_trades')).toEqual([{ n: 750_000 }]);
    expect(await rows('SELECT count(*)::INTEGER AS n FROM flowforge.raw_quotes')).toEqual([{ n: 150_000 }]);
    expect(await rows('SELECT count(DISTINCT symbol)::INTEGER AS n FROM flowforge.raw_trades')).toEqual([
      { n: 10 },
    ]);
  });

  it('reports progress up to the total, then finalizes', () => {
    expect(progress.length).toBeGreaterThan(20);
    expect(progress.at(-1)).toEqual({ phase: 'finalize', done: 750_000, total: 750_000 });
    expect(progress.slice(0, -1).every((p, i, all) => i === 0 || p.done > all[i - 1]!.done)).toBe(true);
  });

  it('keeps the plan column types', async () => {
    const columns = await rows(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'flowforge' AND table_name = 'raw_trades' ORDER BY ordinal_position",
    );
    expect(columns.map((c) => `${c.column_name}:${c.data_type}`)).toEqual([
      'trade_id:VARCHAR',
      'event_time:TIMESTAMP',
      'symbol:VARCHAR',
      'side:VARCHAR',
      'quantity:DECIMAL(18,4)',
      'price:DECIMAL(18,6)',
      'notional:DECIMAL(18,4)',
    ]);
  });

  it('serves rollups consistent with the tape', async () => {
    const [daily] = await rows(
      "SELECT trade_count, high, low, open, close FROM metrics.daily_rollup WHERE symbol = 'AAPL' AND day = DATE '2026-02-27'",
    );
    const [raw] = await rows(
      "SELECT count(*)::INTEGER AS n, max(price) AS high, min(price) AS low FROM flowforge.raw_trades WHERE symbol = 'AAPL' AND event_time::DATE = DATE '2026-02-27'",
    );
    expect(daily).toMatchObject({ trade_count: raw!.n, high: raw!.high, low: raw!.low });
    const [hourly] = await rows(
      "SELECT sum(trade_count)::INTEGER AS n FROM metrics.hourly_rollup WHERE symbol = 'AAPL'",
    );
    expect(hourly!.n).toBe(75_000);
    const [vwap] = await rows(
      "SELECT count(*)::INTEGER AS windows, min(vwap) > 0 AS positive, count(spread_bps)::INTEGER AS with_spread FROM metrics.vwap_5min WHERE symbol = 'MSFT'",
    );
    expect(vwap!.windows).toBeGreaterThan(15 * 70);
    expect(vwap!.positive).toBe(true);
    expect(vwap!.with_spread).toBeGreaterThan(0);
    expect(await rows('SELECT count(*)::INTEGER AS n FROM marts.dim_instruments')).toEqual([{ n: 10 }]);
  });

  it('is idempotent: a second call loads nothing', async () => {
    expect(await isSeeded(db)).toBe(true);
    expect(await seedMarket(db, { days: 3 })).toBe(0);
    expect(await rows('SELECT count(*)::INTEGER AS n FROM flowforge.raw_trades')).toEqual([{ n: 750_000 }]);
    expect(await seededTrades(db)).toBe(750_000);
  });

  it('stores exactly the tape and quotes generateHistory produces (strings rebuilt in SQL from staged numbers)', async () => {
    const small = await DuckDBInstance.create(':memory:');
    const connection = await small.connect();
    const end = new Date('2026-03-02T00:00:00Z');
    try {
      await seedMarket(connection, { days: 7, end, tradesPerDayPerSymbol: 12 });
      const read = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson();
      const trades = await read(
        `SELECT trade_id, strftime(event_time, '%Y-%m-%dT%H:%M:%S.%gZ') AS event_time, symbol, side,
           quantity::DOUBLE AS quantity, price::DOUBLE AS price, notional::DOUBLE AS notional
         FROM flowforge.raw_trades ORDER BY trade_id`,
      );
      const quotes = await read(
        `SELECT symbol, strftime(event_time, '%Y-%m-%dT%H:%M:%S.%gZ') AS event_time, bid::DOUBLE AS bid,
           ask::DOUBLE AS ask, bid_size::DOUBLE AS bid_size, ask_size::DOUBLE AS ask_size,
           mid_price::DOUBLE AS mid_price
         FROM flowforge.raw_quotes ORDER BY symbol, event_time`,
      );
      const generated = [
        ...generateHistory({
          end,
          days: 7,
          tradesPerDayPerSymbol: 12,
          tradesPerQuote: 5,
          seed: DEFAULT_SEED.seed,
        }),
      ];
      const iso = <T extends { event_time: Date }>(row: T) => ({
        ...row,
        event_time: row.event_time.toISOString(),
      });
      const byId = (a: { trade_id: string }, b: { trade_id: string }) => (a.trade_id < b.trade_id ? -1 : 1);
      expect(trades).toHaveLength(5 * 10 * 12);
      expect(trades).toEqual(generated.map((g) => iso(g.trade)).sort(byId));
      const expectedQuotes = generated
        .flatMap((g) => (g.quote ? [iso(g.quote)] : []))
        .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.event_time.localeCompare(b.event_time));
      expect(quotes).toHaveLength(5 * 10 * 3);
      expect(quotes).toEqual(expectedQuotes);
    } finally {
      connection.closeSync();
      small.closeSync();
    }
  });

  it('sizes the tape from --trades, rounded up to whole trades per day per symbol', async () => {
    const small = await DuckDBInstance.create(':memory:');
    const connection = await small.connect();
    try {
      expect(await seededTrades(connection)).toBeNull();
      // 15 trading days × 10 symbols: 1 000 trades need 7 a day per symbol.
      const loaded = await seedMarket(connection, {
        days: 21,
        end: new Date('2026-03-02T00:00:00Z'),
        trades: 1_000,
      });
      expect(loaded).toBe(1_050);
      expect(await seededTrades(connection)).toBe(1_050);
    } finally {
      connection.closeSync();
      small.closeSync();
    }
  });
});

/** Each rollup recomputed from the tape by a plain GROUP BY written here, independently of the module's SQL. */
const FROM_TAPE = {
  'metrics.daily_rollup': `SELECT symbol, event_time::DATE AS k, count(*)::INTEGER AS n, max(price) AS high,
      min(price) AS low, arg_max(price, event_time) AS close, sum(quantity) AS volume
    FROM flowforge.raw_trades GROUP BY 1, 2`,
  'metrics.hourly_rollup': `SELECT symbol, date_trunc('hour', event_time) AS k, count(*)::INTEGER AS n, max(price) AS high,
      min(price) AS low, arg_max(price, event_time) AS close, sum(quantity) AS volume
    FROM flowforge.raw_trades GROUP BY 1, 2`,
};
const ROLLUP_COLUMNS = {
  'metrics.daily_rollup':
    'symbol, day AS k, trade_count::INTEGER AS n, high, low, close, total_volume AS volume',
  'metrics.hourly_rollup':
    'symbol, hour AS k, trade_count::INTEGER AS n, high, low, close, total_volume AS volume',
};
const differences = async (table: keyof typeof FROM_TAPE) =>
  rows(`SELECT count(*)::INTEGER AS n FROM (
    (SELECT ${ROLLUP_COLUMNS[table]} FROM ${table} EXCEPT ALL ${FROM_TAPE[table]})
    UNION ALL (${FROM_TAPE[table]} EXCEPT ALL SELECT ${ROLLUP_COLUMNS[table]} FROM ${table}))`);

describe('rollup tables', () => {
  it('are tables, not views over the tape', async () => {
    expect(
      await rows(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'metrics' ORDER BY 1",
      ),
    ).toEqual([
      { table_name: 'daily_rollup', table_type: 'BASE TABLE' },
      { table_name: 'hourly_rollup', table_type: 'BASE TABLE' },
      { table_name: 'vwap_5min', table_type: 'BASE TABLE' },
    ]);
  });

  it('follow every simulator step: the touched buckets equal the tape, row for row', async () => {
    const simulator = new MarketSimulator({ connection: db, onStep: () => {}, seed: 11 });
    await simulator.start();
    await simulator.stop();
    // Steps inside a seeded day (its rows get new trades) and across an hour and a day boundary (new rows).
    const instants = ['2026-02-27T15:59:59Z', '2026-02-27T16:00:00Z', '2026-03-02T00:00:01Z'];
    const before = await rows(
      "SELECT trade_count::INTEGER AS n FROM metrics.daily_rollup WHERE symbol = 'AAPL' AND day = DATE '2026-02-27'",
    );
    let aaplTrades = 0;
    for (const instant of instants) {
      const ticks = await simulator.step(new Date(instant));
      if (instant.startsWith('2026-02-27')) aaplTrades += ticks.find((t) => t.symbol === 'AAPL')?.trades ?? 0;
    }
    expect(await differences('metrics.daily_rollup')).toEqual([{ n: 0 }]);
    expect(await differences('metrics.hourly_rollup')).toEqual([{ n: 0 }]);
    const [after] = await rows(
      "SELECT trade_count::INTEGER AS n FROM metrics.daily_rollup WHERE symbol = 'AAPL' AND day = DATE '2026-02-27'",
    );
    expect(after!.n).toBe((before[0]!.n as number) + aaplTrades);
    const [newDay] = await rows(
      "SELECT count(*)::INTEGER AS n FROM metrics.daily_rollup WHERE day = DATE '2026-03-02'",
    );
    expect(newDay!.n).toBeGreaterThan(0);
    const [vwap] = await rows(`SELECT count(*)::INTEGER AS n FROM (
      SELECT symbol, window_end, trade_count::INTEGER FROM metrics.vwap_5min
      EXCEPT ALL
      SELECT symbol, time_bucket(INTERVAL 5 MINUTE, event_time) + INTERVAL 5 MINUTE, count(*)::INTEGER
      FROM flowforge.raw_trades GROUP BY 1, 2)`);
    expect(vwap!.n).toBe(0);
  });
});

describe('a data directory from when the rollups were views', () => {
  it('gets the tables and a tape in time order on its next open', async () => {
    const old = await DuckDBInstance.create(':memory:');
    const connection = await old.connect();
    const read = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson();
    try {
      await seedMarket(connection, { days: 7, end: new Date('2026-03-02T00:00:00Z'), trades: 2_000 });
      // What such a directory held: views over a tape sorted by symbol.
      await connection.run(`
        CREATE TEMP TABLE by_symbol AS SELECT * FROM flowforge.raw_trades ORDER BY symbol, event_time;
        DELETE FROM flowforge.raw_trades; INSERT INTO flowforge.raw_trades SELECT * FROM by_symbol;
        DROP TABLE metrics.daily_rollup;
        CREATE VIEW metrics.daily_rollup AS SELECT symbol, CAST(event_time AS DATE) AS day,
          CAST(count(*) AS UINTEGER) AS trade_count FROM flowforge.raw_trades GROUP BY ALL;`);
      expect(await seededTrades(connection)).toBe(2_000);
      expect(
        await read(
          "SELECT table_type, count(*)::INTEGER AS n FROM information_schema.tables WHERE table_schema = 'metrics' GROUP BY 1",
        ),
      ).toEqual([{ table_type: 'BASE TABLE', n: 3 }]);
      const [order] = await read(`SELECT count(*)::INTEGER AS out_of_order FROM (
        SELECT event_time < lag(event_time) OVER () AS back FROM flowforge.raw_trades) WHERE back`);
      expect(order!.out_of_order).toBe(0);
      const [nulls] = await read(
        "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'raw_trades' AND column_name = 'price'",
      );
      expect(nulls!.is_nullable).toBe('NO');
      const [sum] = await read('SELECT sum(trade_count)::INTEGER AS n FROM metrics.daily_rollup');
      expect(sum!.n).toBe(2_000);
    } finally {
      connection.closeSync();
      old.closeSync();
    }
  });
});

describe('MarketSimulator', () => {
  it('appends live trades continuing from the last stored price and publishes one tick per traded symbol', async () => {
    const ticks: Tick[] = [];
    const simulator = new MarketSimulator({ connection: db, onStep: (t) => void ticks.push(...t), seed: 3 });
    await simulator.start();
    await simulator.stop();
    const now = new Date('2026-03-02T15:00:00Z');
    let produced: Tick[] = [];
    for (let i = 0; i < 5; i++)
      produced = produced.concat(await simulator.step(new Date(now.getTime() + i * 1000)));
    expect(produced.length).toBeGreaterThan(0);
    expect(ticks).toEqual(produced);
    const [live] = await rows(
      "SELECT count(*)::INTEGER AS n FROM flowforge.raw_trades WHERE trade_id LIKE 'live-%' AND event_time >= TIMESTAMP '2026-03-02 15:00:00'",
    );
    expect(live!.n).toBe(produced.reduce((sum, t) => sum + t.trades, 0));
    const [last] = await rows(
      "SELECT CAST(arg_max(price, event_time) AS DOUBLE) AS p FROM flowforge.raw_trades WHERE symbol = 'AAPL' AND NOT trade_id LIKE 'live-%'",
    );
    const aaplTick = ticks.find((t) => t.symbol === 'AAPL');
    if (aaplTick)
      expect(Math.abs(aaplTick.price - (last!.p as number)) / (last!.p as number)).toBeLessThan(0.05);
  });
});
