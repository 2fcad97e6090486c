import { afterAll, describe, expect, it } from 'vitest';
import { analyticsEngineContract } from '../../ports/analytics-engine.case.ts';
import { catalogSourceContract } from '../../ports/schema-catalog.case.ts';
import { stackEnv } from '../../test-support/stack.ts';
import { ClickHouseCatalogSource, ClickHouseEngine, clickHouseClient } from './index.ts';

const client = clickHouseClient({ url: stackEnv.CLICKHOUSE_URL });
afterAll(() => client.close());

analyticsEngineContract('clickhouse (client-web → stack)', () => new ClickHouseEngine(client), {
  slowSql: 'SELECT count() FROM numbers(100000000000) WHERE sipHash64(number) % 7 = 3',
  timeZoneSql: 'SELECT timezone()',
  capsRowsRead: true,
  unreachable: () => new ClickHouseEngine(clickHouseClient({ url: 'http://127.0.0.1:1' })),
});
catalogSourceContract('clickhouse system.columns', () => new ClickHouseCatalogSource(client));

describe('ClickHouseCatalogSource', () => {
  it('reports row counts from system.tables', async () => {
    const tables = await new ClickHouseCatalogSource(client).discover();
    const trades = tables.find((t) => t.database === 'flowforge' && t.table === 'raw_trades')!;
    expect(trades.row_count).toBeGreaterThan(0);
  });
});
