import type { CatalogInput, Store } from '../schema.ts';
import type { ColumnType } from '../types.ts';

/**
 * A deterministic market data set (trades, quotes, instruments) for executing compiled graphs on every engine.
 * Generated from a seeded PRNG; it includes NULLs, decimals, millisecond datetimes, a symbol without instrument, an
 * instrument without trades and strings with quotes, backslashes, newlines and non-ASCII text.
 */
export interface TableData {
  table: string;
  columns: { name: string; type: ColumnType; nullable: boolean }[];
  /** Values as text for decimals/datetimes/dates (exact), JS numbers/booleans otherwise, null for NULL. */
  rows: (string | number | boolean | null)[][];
}

/** Per process: several test runs (engineers, CI) may share the stack's servers at the same time. */
export const TEST_DATABASE = `ff_engine_test_${process.pid}`;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSTRUMENTS: [
  symbol: string,
  name: string,
  sector: string | null,
  lot: number,
  tick: string,
  listed: string,
  active: boolean,
][] = [
  ['AAPL', 'Apple Inc.', 'Technology', 100, '0.0100', '1980-12-12', true],
  ['MSFT', 'Microsoft Corp.', 'Technology', 100, '0.0100', '1986-03-13', true],
  ['JPM', 'JPMorgan Chase & Co.', 'Financials', 100, '0.0100', '1969-03-05', true],
  ['XOM', 'Exxon Mobil', 'Energy', 100, '0.0100', '1920-01-01', true],
  ['TSLA', 'Tesla, Inc.', 'Consumer', 10, '0.0100', '2010-06-29', true],
  ['BTC-USD', 'Bitcoin "spot"', null, 1, '0.5000', '2009-01-03', true],
  ['ORLY', "O'Reilly Automotive", 'Consumer', 10, '0.0100', '1993-04-22', true],
  ['BK\\N', 'Back\\slash Holdings', null, 100, '0.0050', '2001-09-10', false],
  ['NESN', 'Nestlé S.A. — 雀巢', 'Staples', 50, '0.0200', '1905-01-01', true],
  ['IDLE', 'No Trades Ltd', 'Financials', 100, '0.0100', '2020-02-02', false],
];
/** Traded but absent from instruments, so LEFT joins produce NULLs. */
const UNLISTED = 'ZZZ';
const NOTES = [
  null,
  null,
  null,
  'block trade',
  "client's order",
  'line1\nline2',
  'path C:\\temp',
  'ünïcödé ✓',
  'x OR 1=1 --',
  '`tick`',
];
const VENUES = ['XNAS', 'XNYS', 'BATS', null];

export function generateDataset(seed = 20261125, tradeCount = 3000, quoteCount = 1500): TableData[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const traded = [...INSTRUMENTS.filter((i) => i[0] !== 'IDLE').map((i) => i[0]), UNLISTED];
  const basePrice = new Map(traded.map((s, i) => [s, 20 + i * 37.5]));
  const start = Date.UTC(2026, 0, 5, 14, 30);
  const timestamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);

  const trades = Array.from({ length: tradeCount }, (_, i) => {
    const symbol = pick(traded);
    const price = basePrice.get(symbol)! * (0.9 + random() * 0.2);
    const quantity = Math.floor(random() * 5000) / 4;
    const time = start + Math.floor(i * 61_000 + random() * 60_000);
    const fee = random() < 0.15 ? null : Math.round(random() * 10_000) / 100;
    return [
      `T${String(i).padStart(6, '0')}`,
      timestamp(time),
      symbol,
      random() < 0.5 ? 'BUY' : 'SELL',
      quantity.toFixed(4),
      price.toFixed(6),
      pick(VENUES),
      fee,
      pick(NOTES),
    ];
  });
  const quotes = Array.from({ length: quoteCount }, (_, i) => {
    const symbol = pick(traded);
    const mid = basePrice.get(symbol)! * (0.9 + random() * 0.2);
    const spread = mid * 0.0005 * (1 + random());
    return [
      symbol,
      timestamp(start + i * 97_000 + Math.floor(random() * 1000)),
      (mid - spread).toFixed(6),
      (mid + spread).toFixed(6),
      100 * (1 + Math.floor(random() * 50)),
      100 * (1 + Math.floor(random() * 50)),
    ];
  });
  return [
    {
      table: 'instruments',
      columns: [
        { name: 'symbol', type: 'string', nullable: false },
        { name: 'name', type: 'string', nullable: false },
        { name: 'sector', type: 'string', nullable: true },
        { name: 'lot_size', type: 'int64', nullable: false },
        { name: 'tick_size', type: 'decimal(10,4)', nullable: false },
        { name: 'listed', type: 'date', nullable: false },
        { name: 'active', type: 'boolean', nullable: false },
      ],
      rows: INSTRUMENTS.map((i) => [...i]),
    },
    {
      table: 'trades',
      columns: [
        { name: 'trade_id', type: 'string', nullable: false },
        { name: 'event_time', type: 'datetime', nullable: false },
        { name: 'symbol', type: 'string', nullable: false },
        { name: 'side', type: 'string', nullable: false },
        { name: 'quantity', type: 'decimal(18,4)', nullable: false },
        { name: 'price', type: 'decimal(18,6)', nullable: false },
        { name: 'venue', type: 'string', nullable: true },
        { name: 'fee', type: 'float64', nullable: true },
        { name: 'note', type: 'string', nullable: true },
      ],
      rows: trades,
    },
    {
      table: 'quotes',
      columns: [
        { name: 'symbol', type: 'string', nullable: false },
        { name: 'event_time', type: 'datetime', nullable: false },
        { name: 'bid', type: 'decimal(18,6)', nullable: false },
        { name: 'ask', type: 'decimal(18,6)', nullable: false },
        { name: 'bid_size', type: 'int64', nullable: false },
        { name: 'ask_size', type: 'int64', nullable: false },
      ],
      rows: quotes,
    },
  ];
}

export function datasetCatalog(
  tables: readonly TableData[],
  store: Store,
  database = TEST_DATABASE,
): CatalogInput {
  return tables.map((t) => ({ database, table: t.table, store, columns: t.columns }));
}
