import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { migrate, prefixedDatabases } from '@flowforge/pipeline/clickhouse';
import { INSTRUMENTS } from '@flowforge/pipeline/market';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPath, toolPath } from './repo.ts';

// The cold path for real: Airflow's own DAG parser loads pipeline/airflow/dags, and the DAG's task commands
// (dbt seed → run → test, in the DAG's order) run with dbt-clickhouse against the stack's ClickHouse engine, on
// databases of this process (the schema from `migrate`, a few hand-made trades).

const DBT_DIR = repoPath('pipeline/dbt');
const PREFIX = `ff_dbt_test_${process.pid}`;
const databases = prefixedDatabases(PREFIX);
const MARTS = `${PREFIX}_dbt`;

let clickhouse: ClickHouseClient;
let scratch: string;
let parsed: DagTasks;

interface DagTasks {
  errors: Record<string, string>;
  dags: Record<
    string,
    { schedule: string; tasks: Record<string, { downstream: string[]; bash_command: string }> }
  >;
}

function parseDags(): DagTasks {
  const res = spawnSync(
    toolPath('airflow-python'),
    [repoPath('scripts/deploy/airflow-dag-tasks.py'), repoPath('pipeline/airflow/dags')],
    {
      env: {
        ...process.env,
        AIRFLOW_HOME: join(scratch, 'airflow'),
        AIRFLOW__CORE__LOAD_EXAMPLES: 'false',
        FLOWFORGE_DBT_DIR: DBT_DIR,
      },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (res.status !== 0) throw new Error(res.stderr);
  // Airflow may log to stdout while it sets up a fresh AIRFLOW_HOME; the report is the last line.
  return JSON.parse(res.stdout.trim().split('\n').at(-1)!) as DagTasks;
}

/** A task's bash command as Airflow would run it, with this machine's dbt first on PATH. */
function runTask(command: string) {
  return spawnSync('bash', ['-c', command], {
    env: {
      ...process.env,
      PATH: `${dirname(toolPath('dbt'))}:${process.env.PATH}`,
      DBT_SCHEMA: MARTS,
      DBT_RAW_DATABASE: databases.flowforge,
      DBT_TARGET_PATH: join(scratch, 'target'),
      DBT_LOG_PATH: join(scratch, 'logs'),
      DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
    },
    encoding: 'utf8',
    timeout: 240_000,
  });
}

const trade = (
  id: string,
  time: string,
  symbol: string,
  side: 'BUY' | 'SELL',
  quantity: number,
  price: number,
) => ({
  trade_id: id,
  event_time: time,
  symbol,
  side,
  quantity: String(quantity),
  price: String(price),
  notional: String(quantity * price),
});

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-cold-path-'));
  parsed = parseDags();
  clickhouse = createClient({ url: 'http://127.0.0.1:8123' });
  await migrate(clickhouse, databases);
  await clickhouse.insert({
    table: `${databases.flowforge}.raw_trades`,
    format: 'JSONEachRow',
    values: [
      trade('t1', '2026-11-27 10:00:00.000', 'AAPL', 'BUY', 10, 100),
      trade('t2', '2026-11-27 11:30:00.000', 'AAPL', 'SELL', 4, 110),
      trade('t3', '2026-11-27 12:00:00.000', 'MSFT', 'SELL', 2, 400),
      trade('t4', '2026-11-28 09:45:00.000', 'AAPL', 'SELL', 6, 105),
    ],
  });
});

afterAll(async () => {
  for (const db of [...Object.values(databases), MARTS])
    await clickhouse?.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await clickhouse?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('cold path: dbt + Airflow', () => {
  const dag = () => parsed.dags.dbt_cold_path!;

  it('imports cleanly under Airflow’s DAG parser, chaining dbt seed → run → test daily', () => {
    expect(parsed.errors).toEqual({});
    expect(Object.keys(parsed.dags)).toEqual(['dbt_cold_path']);
    expect(dag().schedule).toBe('0 6 * * *');
    expect(Object.fromEntries(Object.entries(dag().tasks).map(([id, t]) => [id, t.downstream]))).toEqual({
      dbt_seed: ['dbt_run'],
      dbt_run: ['dbt_test'],
      dbt_test: [],
    });
  });

  it('parses the dbt project (dbt parse)', () => {
    const res = runTask(`dbt parse --project-dir ${DBT_DIR} --profiles-dir ${DBT_DIR}`);
    expect(res.stdout + res.stderr).not.toMatch(/error/i);
    expect(res.status).toBe(0);
  });

  it('seeds the same instruments the generator trades', () => {
    const csv = readFileSync(repoPath('pipeline/dbt/seeds/instruments.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    expect(csv).toEqual(
      INSTRUMENTS.map((i) => [i.symbol, i.name, i.sector, i.exchange, i.currency, i.lotSize].join(',')),
    );
  });

  it('runs the DAG’s tasks in order against ClickHouse and builds the marts', async () => {
    for (const id of ['dbt_seed', 'dbt_run', 'dbt_test']) {
      const res = runTask(dag().tasks[id]!.bash_command);
      expect(res.status, `${id}:\n${res.stdout.slice(-3000)}`).toBe(0);
    }
    const rows = async (query: string) =>
      (await (await clickhouse.query({ query, format: 'JSONEachRow' })).json()) as Record<string, unknown>[];
    expect(
      await rows(
        `SELECT symbol, toString(trade_date) AS day, toFloat64(realized_pnl) AS pnl, trade_count
         FROM ${MARTS}.rpt_daily_pnl ORDER BY symbol, day`,
      ),
    ).toEqual([
      { symbol: 'AAPL', day: '2026-11-27', pnl: -560, trade_count: 2 },
      { symbol: 'AAPL', day: '2026-11-28', pnl: 630, trade_count: 1 },
      { symbol: 'MSFT', day: '2026-11-27', pnl: 800, trade_count: 1 },
    ]);
    expect(
      await rows(
        `SELECT trade_id, instrument_name, sector, trade_hour FROM ${MARTS}.fct_trades WHERE trade_id = 't3'`,
      ),
    ).toEqual([{ trade_id: 't3', instrument_name: 'Microsoft Corp', sector: 'Technology', trade_hour: 12 }]);
  });

  it('fails dbt test on a trade of an unknown instrument (assert_no_orphan_trades)', async () => {
    await clickhouse.insert({
      table: `${databases.flowforge}.raw_trades`,
      format: 'JSONEachRow',
      values: [trade('t5', '2026-11-28 10:00:00.000', 'NOPE', 'BUY', 1, 1)],
    });
    expect(runTask(dag().tasks.dbt_run!.bash_command).status).toBe(0);
    const res = runTask(dag().tasks.dbt_test!.bash_command);
    expect(res.stdout).toMatch(/FAIL 1 assert_no_orphan_trades/);
    expect(res.status).not.toBe(0);
  });
});
