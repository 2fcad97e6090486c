import { parseArgs } from 'node:util';
import { ensureTopics, kafkaClient } from '../streams/index.ts';
import { LiveMarket } from './live-market.ts';
import { produceAtRates, produceBurst } from './producer.ts';

export const GENERATE_USAGE = `              --trades-per-second 50  --quotes-per-second 100  --orders-per-second 5
              --seed N (default: the clock)  --burst N (send N trades at once, print counts per symbol, exit)`;

export async function generateCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'trades-per-second': { type: 'string', default: process.env.TRADES_PER_SECOND ?? '50' },
      'quotes-per-second': { type: 'string', default: process.env.QUOTES_PER_SECOND ?? '100' },
      'orders-per-second': { type: 'string', default: process.env.ORDERS_PER_SECOND ?? '5' },
      seed: { type: 'string' },
      burst: { type: 'string' },
    },
  });
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  // Ids stay unique across runs with the same seed: the tape repeats, the trades are new ones.
  const market = new LiveMarket(seed, undefined, `live-${seed}-${Date.now().toString(36)}`);
  const kafka = kafkaClient('flowforge-generator');
  await ensureTopics(kafka);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    if (values.burst !== undefined) {
      const counts = await produceBurst(producer, market, Number(values.burst));
      console.log(JSON.stringify({ seed, trades: counts }));
      return;
    }
    const rates = {
      tradesPerSecond: Number(values['trades-per-second']),
      quotesPerSecond: Number(values['quotes-per-second']),
      ordersPerSecond: Number(values['orders-per-second']),
    };
    console.log(
      `generator: seed ${seed}, ${rates.tradesPerSecond} trades/s, ${rates.quotesPerSecond} quotes/s, ${rates.ordersPerSecond} orders/s`,
    );
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    let reported = 0;
    await produceAtRates(producer, market, {
      ...rates,
      signal: stop.signal,
      onTick: (sent) => {
        if (sent.trades - reported >= rates.tradesPerSecond * 10) {
          reported = sent.trades;
          console.log(`generator: ${sent.trades} trades, ${sent.quotes} quotes, ${sent.orders} orders sent`);
        }
      },
    });
  } finally {
    await producer.disconnect();
  }
}
