export { LiveMarket } from './live-market.ts';
export { produceAtRates, produceBurst, sendQuotes, sendTrades, type SymbolCounts } from './producer.ts';
