import type {
  AnalyticsEngine,
  QueryOptions,
  QueryResult,
  ResultColumn,
  Row,
} from '../../ports/analytics-engine.ts';
import { EngineError } from '../../ports/analytics-engine.ts';
import type { CatalogSource, CatalogTable } from '../../ports/schema-catalog.ts';
import { groupColumns } from '../clickhouse/index.ts';
import { jsonValue } from '../../workflow/json-value.ts';
import { normalizeType } from '../../workflow/types.ts';
import type { SqlClient } from './sql-client.ts';

/** A connection for one unit of work: Workers must open and end it within the request, Node may share a pool. */
export type OpenSql = () => { sql: SqlClient; end(): Promise<void> };

// Type OIDs of the types the compiler produces; every cell becomes its normalized type's JSON form (json-value.ts).
export const TYPE_NAMES: Record<number, string> = {
  16: 'boolean',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  25: 'text',
  700: 'real',
  701: 'double precision',
  1043: 'varchar',
  1082: 'date',
  1114: 'timestamp',
  1184: 'timestamptz',
  1700: 'numeric',
};

const cell = (v: unknown, oid: number): unknown =>
  jsonValue(v, normalizeType(TYPE_NAMES[oid] ?? 'text').type);

function toEngineError(err: unknown): EngineError {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  if (e.code === '57014') return new EngineError('timeout', 'Query exceeded its time limit');
  if (e.code === '53200' || e.code === '54000')
    return new EngineError('too_expensive', `Query too expensive: ${message}`);
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code))
    return new EngineError('invalid_query', message);
  return new EngineError('unavailable', `PostgreSQL unreachable: ${message}`);
}

/**
 * Materialize (live data) over PostgreSQL's wire protocol, or PostgreSQL itself. Each query runs in a read-only
 * transaction with `statement_timeout` from the limits; there is no rows-read cap in this protocol.
 */
export class PostgresEngine implements AnalyticsEngine {
  constructor(
    readonly store: string,
    private readonly open: OpenSql,
  ) {}

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const started = performance.now();
    const conn = this.open();
    try {
      const { fields, rows } = await conn.sql.transaction(async (tx) => {
        await tx.exec('SET TRANSACTION READ ONLY');
        // Datetimes are UTC instants: zone-less values and date functions must not follow the server's default zone.
        await tx.exec("SET LOCAL TIME ZONE 'UTC'");
        if (options.limits)
          await tx.exec(
            `SET LOCAL statement_timeout = ${Math.trunc(options.limits.maxExecutionSeconds * 1000)}`,
          );
        return tx.queryArrays(sql);
      });
      const columns = fields.map((f) => ({
        name: f.name,
        type: TYPE_NAMES[f.dataTypeID] ?? `oid:${f.dataTypeID}`,
      }));
      return {
        columns,
        rows: rows.map((r) => r.map((v, i) => cell(v, fields[i]!.dataTypeID))),
        elapsedMs: performance.now() - started,
      };
    } catch (err) {
      throw toEngineError(err);
    } finally {
      await conn.end();
    }
  }

  /** The SQL carries the export's row cap, so reading the capped result at once stays bounded. */
  async stream(
    sql: string,
    options: QueryOptions = {},
  ): Promise<{ columns: ResultColumn[]; rows: AsyncIterable<Row> }> {
    const { columns, rows } = await this.query(sql, options);
    return {
      columns,
      rows: (async function* () {
        yield* rows;
      })(),
    };
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }
}

/** Discovery from `information_schema.columns` (Materialize and PostgreSQL both have it); schema name = database. */
export class PostgresCatalogSource implements CatalogSource {
  constructor(
    readonly store: string,
    private readonly open: OpenSql,
    private readonly schemas: string[],
  ) {}

  async discover(): Promise<CatalogTable[]> {
    const conn = this.open();
    try {
      const rows = await conn.sql.query<{ database: string; table: string; name: string; type: string }>(
        `SELECT table_schema AS database, table_name AS "table", column_name AS name,
                CASE WHEN data_type = 'numeric' AND numeric_precision IS NOT NULL
                     THEN 'numeric(' || numeric_precision || ',' || numeric_scale || ')' ELSE data_type END AS type
         FROM information_schema.columns WHERE table_schema = ANY($1::text[])
         ORDER BY table_schema, table_name, ordinal_position`,
        [this.schemas],
      );
      return groupColumns(rows, this.store);
    } finally {
      await conn.end();
    }
  }
}
