/** The plan's reference instruments (dbt seed `instruments.csv`) with the generator's base prices. */
export interface Instrument {
  symbol: string;
  name: string;
  sector: string;
  exchange: string;
  currency: string;
  lotSize: number;
  basePrice: number;
}

export const INSTRUMENTS: readonly Instrument[] = [
  {
    symbol: 'AAPL',
    name: 'Apple Inc',
    sector: 'Technology',
    exchange: 'NASDAQ',
    currency: 'USD',
    lotSize: 1,
    basePrice: 185,
  },
  {
    symbol: 'MSFT',
    name: 'Microsoft Corp',
    sector: 'Technology',
    exchange: 'NASDAQ',
    currency: 'USD',
    lotSize: 1,
    basePrice: 420,
  },
  {
    symbol: 'GOOGL',
    name: 'Alphabet Inc',
    sector: 'Technology',
    exchange: 'NASDAQ',
    currency: 'USD',
    lotSize: 1,
    basePrice: 155,
  },
  {
    symbol: 'AMZN',
    name: 'Amazon.com Inc',
    sector: 'Consumer Discretionary',
    exchange: 'NASDAQ',
    currency: 'USD',
    lotSize: 1,
    basePrice: 190,
  },
  {
    symbol: 'NVDA',
    name: 'NVIDIA Corp',
    sector: 'Technology',
    exchange: 'NASDAQ',
    currency: 'USD',
    lotSize: 1,
    basePrice: 880,
  },
  {
    symbol: 'TSLA',
    name: 'Tesla Inc',
    sector: 'Consumer Discretionary',
    exchange: 'NASDAQ',
    currency: 'USD',
    lotSize: 1,
    basePrice: 245,
  },
  {
    symbol: 'META',
    name: 'Meta Platforms Inc',
    sector: 'Communication Services',
    exchange: 'NASDAQ',
    currency: 'USD',
    lotSize: 1,
    basePrice: 510,
  },
  {
    symbol: 'JPM',
    name: 'JPMorgan Chase',
    sector: 'Financials',
    exchange: 'NYSE',
    currency: 'USD',
    lotSize: 1,
    basePrice: 195,
  },
  {
    symbol: 'BAC',
    name: 'Bank of America',
    sector: 'Financials',
    exchange: 'NYSE',
    currency: 'USD',
    lotSize: 1,
    basePrice: 35,
  },
  {
    symbol: 'GS',
    name: 'Goldman Sachs',
    sector: 'Financials',
    exchange: 'NYSE',
    currency: 'USD',
    lotSize: 1,
    basePrice: 420,
  },
];
