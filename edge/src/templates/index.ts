import type { Graph } from '../workflow/index.ts';
// Not the engine's entry: the list pages that show templates must not pull the compiler into their chunk.
import { GRAPH_VERSION } from '../workflow/graph-migrations.ts';

/**
 * Ready workflows for trading analysis: a newcomer's starting points. Each is a versioned graph document over the
 * tables every FlowForge deployment has (`flowforge.raw_trades`, `flowforge.raw_quotes`, `marts.dim_instruments`,
 * `metrics.daily_rollup`, `metrics.hourly_rollup`); opening one gives an editable, unsaved copy.
 */
export interface WorkflowTemplate {
  id: string;
  name: string;
  description: string;
  /** The node whose preview the canvas shows first (a chart or table). */
  output: string;
  graph: Graph;
}

type Step = { id: string; type: string; data: Record<string, unknown> };
type Link = [source: string, target: string, targetHandle?: 'left' | 'right'];

const COLUMN = 280;
const ROW = 140;

/**
 * Lays `rows` of steps out left to right, one row per branch, each row's steps following each other; `links` wire a
 * branch into another row (a join's right input). A branch row ends one column before the step it feeds, so every
 * edge runs left to right.
 */
function document(rows: Step[][], links: Link[] = []): Graph {
  const columnOf = new Map(rows[0]!.map((s, c) => [s.id, c]));
  const nodes = rows.flatMap((row, r) => {
    const feeds = links.find(([source]) => source === row.at(-1)!.id)?.[1];
    const offset = r === 0 || feeds === undefined ? 0 : (columnOf.get(feeds) ?? row.length) - row.length;
    return row.map((step, c) => ({ ...step, position: { x: (offset + c) * COLUMN, y: r * ROW } }));
  });
  const chained: Link[] = rows.flatMap((row) => row.slice(1).map((step, i): Link => [row[i]!.id, step.id]));
  const edges = [...chained, ...links].map(([source, target, targetHandle]) => ({
    id: `${source}->${target}`,
    source,
    target,
    ...(targetHandle ? { targetHandle } : {}),
  }));
  return { version: GRAPH_VERSION, nodes, edges };
}

const step = (id: string, type: string, data: Record<string, unknown>): Step => ({ id, type, data });
const source = (id: string, database: string, table: string) => step(id, 'data_source', { database, table });
const formulas = (id: string, defs: Record<string, string>) =>
  step(id, 'formula', { formulas: Object.entries(defs).map(([name, expression]) => ({ name, expression })) });
const groupBy = (
  id: string,
  keys: string[],
  aggregations: { function: string; column: string; alias?: string }[],
) => step(id, 'group_by', { group_by: keys, aggregations });
const sort = (id: string, column: string, direction: 'ASC' | 'DESC') =>
  step(id, 'sort', { sorts: [{ column, direction }] });
const only = (id: string, column: string, value: string) =>
  step(id, 'filter', { logic: 'AND', conditions: [{ column, op: '=', value }] });

export const WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [
  {
    id: 'vwap-by-symbol',
    name: 'VWAP by symbol',
    description: 'Volume-weighted average price of every symbol over the whole tape, as a bar chart.',
    output: 'chart',
    graph: document([
      [
        source('trades', 'flowforge', 'raw_trades'),
        groupBy(
          'totals',
          ['symbol'],
          [
            { function: 'sum', column: 'notional' },
            { function: 'sum', column: 'quantity' },
          ],
        ),
        formulas('vwap', { vwap: 'ROUND([sum_notional] / [sum_quantity], 4)' }),
        step('chart', 'bar_chart', { x: 'symbol', y: ['vwap'] }),
      ],
    ]),
  },
  {
    id: 'daily-ohlc',
    name: 'Daily OHLC candlesticks',
    description:
      "One symbol's daily open, high, low and close from the daily rollup, as candlesticks over its daily volume.",
    output: 'chart',
    graph: document([
      [
        source('daily', 'metrics', 'daily_rollup'),
        only('symbol', 'symbol', 'AAPL'),
        step('chart', 'candlestick', {
          time: 'day',
          open: 'open',
          high: 'high',
          low: 'low',
          close: 'close',
          volume: 'total_volume',
        }),
      ],
    ]),
  },
  {
    id: 'top-movers',
    name: 'Top movers of the latest day',
    description:
      'Change from open to close on the most recent trading day, as a table with the biggest gainers first.',
    output: 'table',
    graph: document(
      [
        [
          source('daily', 'metrics', 'daily_rollup'),
          step('latest', 'join', { join_type: 'INNER', keys: [{ left: 'day', right: 'day' }] }),
          formulas('change', { change_pct: 'ROUND(([close] - [open]) / [open] * 100, 2)' }),
          step('columns', 'select', {
            columns: ['symbol', 'day', 'open', 'close', 'change_pct', 'total_volume'],
          }),
          sort('order', 'change_pct', 'DESC'),
          step('table', 'table_view', { page: 0, page_size: 50 }),
        ],
        [
          source('days', 'metrics', 'daily_rollup'),
          groupBy('last_day', [], [{ function: 'max', column: 'day', alias: 'day' }]),
        ],
      ],
      [['last_day', 'latest', 'right']],
    ),
  },
  {
    id: 'spread-monitor',
    name: 'Spread monitor',
    description: 'Average quoted spread in basis points per symbol and day, from the quote tape.',
    output: 'chart',
    graph: document([
      [
        source('quotes', 'flowforge', 'raw_quotes'),
        formulas('spread', {
          spread_bps: '([ask] - [bid]) / [mid_price] * 10000',
          day: "DATE_TRUNC('day', [event_time])",
        }),
        groupBy(
          'daily',
          ['day', 'symbol'],
          [{ function: 'avg', column: 'spread_bps', alias: 'avg_spread_bps' }],
        ),
        step('chart', 'line_chart', { x: 'day', y: ['avg_spread_bps'], series: 'symbol' }),
      ],
    ]),
  },
  {
    id: 'volume-profile-by-hour',
    name: 'Volume profile by hour',
    description: 'Traded quantity per hour of the day (UTC) across all symbols: where the session is busy.',
    output: 'chart',
    graph: document([
      [
        source('trades', 'flowforge', 'raw_trades'),
        formulas('hour', { hour_of_day: 'HOUR([event_time])' }),
        groupBy('volume', ['hour_of_day'], [{ function: 'sum', column: 'quantity', alias: 'volume' }]),
        step('chart', 'bar_chart', { x: 'hour_of_day', y: ['volume'] }),
      ],
    ]),
  },
  {
    id: 'buy-sell-imbalance',
    name: 'Buy/sell imbalance',
    description:
      'Net buying pressure per symbol: (buy − sell) / (buy + sell) quantity, in percent, as a bar chart.',
    output: 'chart',
    graph: document([
      [
        source('trades', 'flowforge', 'raw_trades'),
        formulas('sides', {
          buy_qty: "IF([side] = 'BUY', [quantity], 0)",
          sell_qty: "IF([side] = 'SELL', [quantity], 0)",
        }),
        groupBy(
          'totals',
          ['symbol'],
          [
            { function: 'sum', column: 'buy_qty', alias: 'buys' },
            { function: 'sum', column: 'sell_qty', alias: 'sells' },
          ],
        ),
        formulas('imbalance', { imbalance_pct: 'ROUND(([buys] - [sells]) / ([buys] + [sells]) * 100, 2)' }),
        step('chart', 'bar_chart', { x: 'symbol', y: ['imbalance_pct'] }),
      ],
    ]),
  },
  {
    id: 'notional-by-sector',
    name: 'Notional by sector',
    description: 'Traded notional per sector: trades joined to the instrument master on symbol.',
    output: 'chart',
    graph: document(
      [
        [
          source('trades', 'flowforge', 'raw_trades'),
          step('join', 'join', { join_type: 'INNER', keys: [{ left: 'symbol', right: 'symbol' }] }),
          groupBy('sectors', ['sector'], [{ function: 'sum', column: 'notional', alias: 'notional' }]),
          step('chart', 'bar_chart', { x: 'sector', y: ['notional'] }),
        ],
        [source('instruments', 'marts', 'dim_instruments')],
      ],
      [['instruments', 'join', 'right']],
    ),
  },
  {
    id: 'notional-by-venue',
    name: 'Notional by venue',
    description: 'Traded notional per listing exchange: trades joined to the instrument master on symbol.',
    output: 'chart',
    graph: document(
      [
        [
          source('trades', 'flowforge', 'raw_trades'),
          step('join', 'join', { join_type: 'INNER', keys: [{ left: 'symbol', right: 'symbol' }] }),
          groupBy('venues', ['exchange'], [{ function: 'sum', column: 'notional', alias: 'notional' }]),
          step('chart', 'bar_chart', { x: 'exchange', y: ['notional'] }),
        ],
        [source('instruments', 'marts', 'dim_instruments')],
      ],
      [['instruments', 'join', 'right']],
    ),
  },
  {
    id: 'hourly-price-vs-vwap',
    name: 'Hourly close vs VWAP',
    description: "One symbol's hourly closing price against its hourly VWAP, from the hourly rollup.",
    output: 'chart',
    graph: document([
      [
        source('hourly', 'metrics', 'hourly_rollup'),
        only('symbol', 'symbol', 'MSFT'),
        step('chart', 'line_chart', { x: 'hour', y: ['close', 'vwap'] }),
      ],
    ]),
  },
  {
    id: 'notional-kpi',
    name: 'Total notional traded',
    description: 'One number: the notional of every trade on the tape, as a KPI card.',
    output: 'kpi',
    graph: document([
      [
        source('trades', 'flowforge', 'raw_trades'),
        groupBy('total', [], [{ function: 'sum', column: 'notional', alias: 'notional' }]),
        step('kpi', 'kpi', { value: 'notional', format: 'currency' }),
      ],
    ]),
  },
  {
    id: 'daily-notional-trend',
    name: 'Notional traded per day, with its trend',
    description:
      "The latest trading day's notional as a KPI card: its change from the day before and a 30-day sparkline.",
    output: 'kpi',
    graph: document([
      [
        source('trades', 'flowforge', 'raw_trades'),
        formulas('day', { day: "DATE_TRUNC('day', [event_time])" }),
        groupBy('daily', ['day'], [{ function: 'sum', column: 'notional', alias: 'notional' }]),
        step('kpi', 'kpi', { value: 'notional', format: 'currency', trend: 'day', points: 30 }),
      ],
    ]),
  },
];

export const templateById = (id: string): WorkflowTemplate | undefined =>
  WORKFLOW_TEMPLATES.find((t) => t.id === id);

/** A ready dashboard: workflow templates saved as workflows, their outputs pinned where `x, y, w, h` (12 columns) say. */
export interface DashboardTemplate {
  id: string;
  name: string;
  description: string;
  widgets: { template: string; x: number; y: number; w: number; h: number }[];
}

export const DASHBOARD_TEMPLATES: readonly DashboardTemplate[] = [
  {
    id: 'market-overview',
    name: 'Market overview',
    description:
      'Total notional, VWAP by symbol, the spread per day and daily candles: four templates on one board.',
    widgets: [
      { template: 'notional-kpi', x: 0, y: 0, w: 4, h: 9 },
      { template: 'vwap-by-symbol', x: 4, y: 0, w: 8, h: 9 },
      { template: 'spread-monitor', x: 0, y: 9, w: 6, h: 10 },
      { template: 'daily-ohlc', x: 6, y: 9, w: 6, h: 10 },
    ],
  },
];
