export { INSTRUMENTS, type Instrument } from './instruments.ts';
export { TABLE_DESCRIPTIONS } from './table-descriptions.ts';
export { createRandom, type Random } from './random.ts';
export { PriceWalk, roundTo, uShapedFraction } from './price-walk.ts';
export {
  generateHistory,
  countHistoryTrades,
  tradingDays,
  quoteAround,
  TRADE_QUANTITIES,
  type Trade,
  type Quote,
  type HistoryOptions,
} from './history.ts';
