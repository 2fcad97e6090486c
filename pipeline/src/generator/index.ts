export { LiveMarket } from './live-market.ts';
export { produceBurst, sendTrades } from './producer.ts';
