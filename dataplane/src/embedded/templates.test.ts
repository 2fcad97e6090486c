import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDBCatalogSource, DuckDBEngine } from '@flowforge/edge/duckdb';
import { DASHBOARD_TEMPLATES, WORKFLOW_TEMPLATES, type WorkflowTemplate } from '@flowforge/edge/templates';
import { compile, GRAPH_VERSION, validate } from '@flowforge/edge/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTRUMENTS } from '@flowforge/pipeline/market';
import { seedMarket } from './duckdb-market.ts';

// Every template runs on the embedded mode's own tables, seeded small, and compiles for the other dialects too.
let instance: DuckDBInstance;
let engine: DuckDBEngine;
// What the embedded catalog discovers; the engine parses it like any catalog it is given.
let catalog: unknown;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await seedMarket(connection, {
    days: 10,
    tradesPerDayPerSymbol: 200,
    seed: 7,
    end: new Date('2026-03-02T00:00:00Z'),
  });
  connection.closeSync();
  engine = new DuckDBEngine(instance);
  catalog = await new DuckDBCatalogSource(instance).discover();
});

afterAll(() => instance?.closeSync());

const run = async (template: WorkflowTemplate) => {
  const compiled = compile(template.graph, template.output, { catalog, dialect: 'duckdb' });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  const result = await engine.query(compiled.sql);
  const rows = result.rows.map((r) => Object.fromEntries(compiled.schema.map((c, i) => [c.name, r[i]])));
  return { compiled, result, rows };
};

const byId = (id: string) => WORKFLOW_TEMPLATES.find((t) => t.id === id)!;

describe('workflow templates', () => {
  it('offers at least 8 templates with unique ids, each a current-version document', () => {
    expect(WORKFLOW_TEMPLATES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(WORKFLOW_TEMPLATES.map((t) => t.id)).size).toBe(WORKFLOW_TEMPLATES.length);
    for (const t of WORKFLOW_TEMPLATES) {
      expect(t.graph.version).toBe(GRAPH_VERSION);
      expect(t.graph.nodes.map((n) => n.id)).toContain(t.output);
    }
  });

  for (const template of WORKFLOW_TEMPLATES) {
    it(`${template.name}: valid, compiles on every dialect, returns rows on DuckDB`, async () => {
      expect(validate(template.graph, catalog)).toEqual([]);
      for (const dialect of ['clickhouse', 'postgres'] as const)
        expect(compile(template.graph, template.output, { catalog, dialect }).ok).toBe(true);
      const { compiled, result } = await run(template);
      expect(result.columns.map((c) => c.name)).toEqual(compiled.schema.map((c) => c.name));
      expect(result.rows.length).toBeGreaterThan(0);
    });
  }
});

describe('dashboard templates', () => {
  it('pin four existing templates each, on a 12-column grid without overlaps', () => {
    expect(DASHBOARD_TEMPLATES.length).toBeGreaterThanOrEqual(1);
    for (const dashboard of DASHBOARD_TEMPLATES) {
      expect(dashboard.widgets).toHaveLength(4);
      expect(new Set(dashboard.widgets.map((w) => w.template)).size).toBe(4);
      const cells = new Set<string>();
      for (const w of dashboard.widgets) {
        expect(byId(w.template), w.template).toBeDefined();
        expect(w.x >= 0 && w.w > 0 && w.x + w.w <= 12 && w.y >= 0 && w.h > 0).toBe(true);
        for (let x = w.x; x < w.x + w.w; x++)
          for (let y = w.y; y < w.y + w.h; y++) {
            expect(cells.has(`${x},${y}`), `${w.template} overlaps at ${x},${y}`).toBe(false);
            cells.add(`${x},${y}`);
          }
      }
    }
  });
});

describe('template answers match values computed from the raw tape', () => {
  const tape = async () => {
    const { rows } = await engine.query(
      'SELECT symbol, side, CAST(quantity AS DOUBLE), CAST(notional AS DOUBLE), hour(event_time) FROM flowforge.raw_trades',
    );
    return rows.map(([symbol, side, quantity, notional, hour]) => ({
      symbol: symbol as string,
      side: side as string,
      quantity: quantity as number,
      notional: notional as number,
      hour: hour as number,
    }));
  };
  const sumBy = <T>(items: T[], key: (t: T) => string | number, value: (t: T) => number) => {
    const out = new Map<string | number, number>();
    for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + value(item));
    return out;
  };

  it('VWAP by symbol = Σ notional / Σ quantity per symbol, symbols in order', async () => {
    const trades = await tape();
    const notional = sumBy(
      trades,
      (t) => t.symbol,
      (t) => t.notional,
    );
    const quantity = sumBy(
      trades,
      (t) => t.symbol,
      (t) => t.quantity,
    );
    const { rows } = await run(byId('vwap-by-symbol'));
    expect(rows.map((r) => r.symbol)).toEqual([...notional.keys()].sort());
    for (const row of rows)
      expect(row.vwap).toBeCloseTo(
        notional.get(row.symbol as string)! / quantity.get(row.symbol as string)!,
        3,
      );
  });

  it('volume profile = Σ quantity per UTC hour of the day', async () => {
    const volume = sumBy(
      await tape(),
      (t) => t.hour,
      (t) => t.quantity,
    );
    const { rows } = await run(byId('volume-profile-by-hour'));
    expect(rows.map((r) => r.hour_of_day)).toEqual([...volume.keys()].sort((a, b) => Number(a) - Number(b)));
    for (const row of rows) expect(Number(row.volume)).toBeCloseTo(volume.get(row.hour_of_day as number)!, 4);
  });

  // A bar chart orders its bars by x (the chart contract), so symbols come alphabetically.
  it('buy/sell imbalance = (buys − sells) / (buys + sells) × 100 per symbol', async () => {
    const trades = await tape();
    const buys = sumBy(
      trades,
      (t) => t.symbol,
      (t) => (t.side === 'BUY' ? t.quantity : 0),
    );
    const sells = sumBy(
      trades,
      (t) => t.symbol,
      (t) => (t.side === 'SELL' ? t.quantity : 0),
    );
    const expected = [...buys.keys()]
      .sort()
      .map((s) => ({ s, pct: ((buys.get(s)! - sells.get(s)!) / (buys.get(s)! + sells.get(s)!)) * 100 }));
    const { rows } = await run(byId('buy-sell-imbalance'));
    expect(rows.map((r) => r.symbol)).toEqual(expected.map((e) => e.s));
    rows.forEach((row, i) => expect(row.imbalance_pct).toBeCloseTo(expected[i]!.pct, 1));
  });

  it('top movers: the latest day only, change from open to close, largest first', async () => {
    const { rows: days } = await engine.query(
      'SELECT symbol, CAST((close - open) / open * 100 AS DOUBLE) FROM metrics.daily_rollup WHERE day = (SELECT max(day) FROM metrics.daily_rollup)',
    );
    const expected = days
      .map(([symbol, pct]) => ({ symbol: symbol as string, pct: pct as number }))
      .sort((a, b) => b.pct - a.pct);
    const { rows } = await run(byId('top-movers'));
    expect(new Set(rows.map((r) => String(r.day))).size).toBe(1);
    expect(rows.map((r) => r.symbol)).toEqual(expected.map((e) => e.symbol));
    rows.forEach((row, i) => expect(row.change_pct).toBeCloseTo(expected[i]!.pct, 1));
  });

  it('notional by venue = Σ notional per listing exchange of the instrument', async () => {
    const exchangeOf = new Map(INSTRUMENTS.map((i) => [i.symbol, i.exchange]));
    const notional = sumBy(
      await tape(),
      (t) => exchangeOf.get(t.symbol)!,
      (t) => t.notional,
    );
    const { rows } = await run(byId('notional-by-venue'));
    expect(rows.map((r) => r.exchange)).toEqual([...notional.keys()].sort());
    for (const row of rows)
      expect(Number(row.notional)).toBeCloseTo(notional.get(row.exchange as string)!, 2);
  });

  it('total notional KPI = Σ notional', async () => {
    const total = (await tape()).reduce((sum, t) => sum + t.notional, 0);
    const { rows } = await run(byId('notional-kpi'));
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.notional)).toBeCloseTo(total, 2);
  });

  it('daily notional trend: one row per day, newest first, each Σ notional of its day', async () => {
    const { rows: trades } = await engine.query(
      "SELECT strftime(event_time, '%Y-%m-%d'), CAST(notional AS DOUBLE) FROM flowforge.raw_trades",
    );
    const perDay = new Map<string, number>();
    for (const [day, notional] of trades)
      perDay.set(day as string, (perDay.get(day as string) ?? 0) + (notional as number));
    const expected = [...perDay].sort(([a], [b]) => b.localeCompare(a)).slice(0, 30);
    const { rows } = await run(byId('daily-notional-trend'));
    expect(rows.map((r) => String(r.day).slice(0, 10))).toEqual(expected.map(([day]) => day));
    rows.forEach((row, i) => expect(Number(row.notional)).toBeCloseTo(expected[i]![1], 2));
  });

  it('daily OHLC: candles and the volume bars of the same AAPL days', async () => {
    const { rows: days } = await engine.query(
      "SELECT strftime(day, '%Y-%m-%d'), CAST(total_volume AS DOUBLE) FROM metrics.daily_rollup WHERE symbol = 'AAPL' ORDER BY day",
    );
    const { rows } = await run(byId('daily-ohlc'));
    expect(rows.map((r) => String(r.time).slice(0, 10))).toEqual(days.map(([day]) => day));
    expect(rows.map((r) => Number(r.volume))).toEqual(days.map(([, volume]) => volume));
  });
});
