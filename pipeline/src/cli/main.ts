// `npm run pipeline -- migrate|generate|seed`: the market data pipeline's operator commands against the stack.
import { createClient } from '@clickhouse/client';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASES, migrate } from '../clickhouse/index.ts';
import { generateCommand, GENERATE_USAGE } from '../generator/command.ts';
import { HISTORY_DEFAULTS, seedHistory } from '../seed/historical.ts';
import { progressBar } from './progress.ts';

const USAGE = `Usage: npm run pipeline -- <command> [options]

  migrate   apply pipeline/clickhouse/*.sql (idempotent) and fill marts.dim_instruments
  seed      migrate, then load 6 months of weekday trades into ClickHouse (idempotent)
              --days 183  --trades-per-day 500  --seed ${HISTORY_DEFAULTS.seed}
  generate  produce live trades/quotes/orders to Kafka
${GENERATE_USAGE}

Environment: CLICKHOUSE_URL (default http://127.0.0.1:8123), KAFKA_BROKERS (default 127.0.0.1:9092)`;

const clickhouse = () =>
  createClient({
    url: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
    username: process.env.CLICKHOUSE_USER ?? 'default',
    password: process.env.CLICKHOUSE_PASSWORD ?? '',
  });

async function seedCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      days: { type: 'string', default: String(HISTORY_DEFAULTS.days) },
      'trades-per-day': { type: 'string', default: String(HISTORY_DEFAULTS.tradesPerDayPerSymbol) },
      seed: { type: 'string', default: String(HISTORY_DEFAULTS.seed) },
    },
  });
  const client = clickhouse();
  try {
    await migrate(client);
    const bar = progressBar('Seeding ClickHouse', process.stdout);
    const started = performance.now();
    const loaded = await seedHistory(client, {
      databases: DEFAULT_DATABASES,
      end: new Date(),
      days: Number(values.days),
      tradesPerDayPerSymbol: Number(values['trades-per-day']),
      seed: Number(values.seed),
      onProgress: (done, total) => bar.update(done / total, `${done.toLocaleString('en-US')} trades`),
    });
    const seconds = (performance.now() - started) / 1000;
    bar.done(
      `${loaded.toLocaleString('en-US')} trades in ${seconds.toFixed(1)} s (batches already stored are skipped)`,
    );
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'migrate': {
      const client = clickhouse();
      try {
        console.log(`ClickHouse schema up to date (${await migrate(client)} statements applied)`);
      } finally {
        await client.close();
      }
      return;
    }
    case 'seed':
      return seedCommand(rest);
    case 'generate':
      return generateCommand(rest);
    default:
      console.log(USAGE);
      if (command !== undefined && command !== '--help') process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  console.error(`pipeline: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
