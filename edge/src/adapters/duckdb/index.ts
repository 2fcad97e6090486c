import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type {
  AnalyticsEngine,
  QueryOptions,
  QueryResult,
  ResultColumn,
  Row,
} from '../../ports/analytics-engine.ts';
import { EngineError } from '../../ports/analytics-engine.ts';
import type { CatalogSource, CatalogTable, TableFacts } from '../../ports/schema-catalog.ts';
import { groupColumns, withTableFacts } from '../clickhouse/index.ts';
import { jsonValue } from '../../workflow/json-value.ts';
import { normalizeType } from '../../workflow/types.ts';

/** Every cell becomes its normalized type's JSON form (json-value.ts), the same on every engine. */
function mappersFor(types: string[]): ((v: unknown) => unknown)[] {
  return types.map((t) => {
    const normalized = normalizeType(t).type;
    return (v) => jsonValue(v, normalized);
  });
}

/** Datetimes are UTC instants: `now()` and zone conversions must not follow the machine's zone. */
async function utcConnection(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const conn = await instance.connect();
  await conn.run("SET TimeZone = 'UTC'");
  return conn;
}

function toEngineError(err: unknown, timedOut: boolean): EngineError {
  const message = (err as Error).message ?? String(err);
  if (timedOut || /INTERRUPT/i.test(message))
    return new EngineError('timeout', 'Query exceeded its time limit');
  if (/out of memory/i.test(message))
    return new EngineError('too_expensive', `Query too expensive: ${message}`);
  return new EngineError('invalid_query', message.replace(/^[A-Za-z ]+Error: /, ''));
}

/** Idle connections kept for the next query: a few, since queries that overlap are few in the embedded mode. */
const IDLE_CONNECTIONS = 4;

/**
 * DuckDB for the embedded mode. A connection runs one query at a time, so a timeout interrupts exactly that query.
 * Connections are reused: opening one and setting its zone cost ~1 ms of main-thread time per query (CPU profile of
 * the bundled server), more than compiling the graph. One whose query was interrupted or failed is closed, not reused.
 * DuckDB has no per-query memory or rows-read caps; the time limit is enforced by interrupting the connection.
 */
export class DuckDBEngine implements AnalyticsEngine {
  readonly store = 'duckdb';
  private readonly idle: DuckDBConnection[] = [];

  constructor(private readonly instance: DuckDBInstance) {}

  private async withConnection<T>(
    options: QueryOptions,
    fn: (conn: DuckDBConnection) => Promise<T>,
  ): Promise<T> {
    const conn = this.idle.pop() ?? (await utcConnection(this.instance));
    let timedOut = false;
    let reusable = true;
    const interrupt = () => {
      reusable = false;
      conn.interrupt();
    };
    const timer = options.limits
      ? setTimeout(() => {
          timedOut = true;
          interrupt();
        }, options.limits.maxExecutionSeconds * 1000)
      : undefined;
    options.signal?.addEventListener('abort', interrupt);
    try {
      return await fn(conn);
    } catch (err) {
      reusable = false;
      throw toEngineError(err, timedOut);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', interrupt);
      if (reusable && this.idle.length < IDLE_CONNECTIONS) this.idle.push(conn);
      else conn.closeSync();
    }
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const started = performance.now();
    return this.withConnection(options, async (conn) => {
      const reader = await conn.runAndReadAll(sql);
      const columns = reader
        .columnNames()
        .map((name, i) => ({ name, type: reader.columnTypes()[i]!.toString() }));
      const mappers = mappersFor(columns.map((c) => c.type));
      const rows = reader.getRowsJson().map((r) => r.map((v, i) => mappers[i]!(v)));
      return { columns, rows, elapsedMs: performance.now() - started };
    });
  }

  /** Exports have no time limit: they stream for as long as the client reads, capped by rows in the SQL. */
  async stream(sql: string): Promise<{ columns: ResultColumn[]; rows: AsyncIterable<Row> }> {
    const conn = await utcConnection(this.instance);
    let result;
    try {
      result = await conn.stream(sql);
    } catch (err) {
      conn.closeSync();
      throw toEngineError(err, false);
    }
    const columns = result
      .columnNames()
      .map((name, i) => ({ name, type: result.columnTypes()[i]!.toString() }));
    const mappers = mappersFor(columns.map((c) => c.type));
    const source = result;
    async function* rows(): AsyncGenerator<Row> {
      try {
        for await (const batch of source.yieldRowsJson()) {
          for (const r of batch) yield r.map((v, i) => mappers[i]!(v));
        }
      } finally {
        conn.closeSync();
      }
    }
    return { columns, rows: rows() };
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }
}

/** DuckDB's own schemas and the embedded mode's bookkeeping (`flowforge_meta.seed`): not data a user analyses. */
const INTERNAL_SCHEMAS = "'information_schema', 'pg_catalog', 'flowforge_meta'";

/** Discovery from DuckDB's `information_schema`; the schema name plays the catalog's `database` (as in the CLI). */
export class DuckDBCatalogSource implements CatalogSource {
  readonly store = 'duckdb';

  constructor(private readonly instance: DuckDBInstance) {}

  async discover(): Promise<CatalogTable[]> {
    const conn = await this.instance.connect();
    try {
      const reader = await conn.runAndReadAll(
        `SELECT table_schema AS database, table_name AS "table", column_name AS name, data_type AS type
         FROM information_schema.columns
         WHERE table_catalog = current_database() AND table_schema NOT IN (${INTERNAL_SCHEMAS})
         ORDER BY table_schema, table_name, ordinal_position`,
      );
      const facts = await conn.runAndReadAll(
        `SELECT schema_name AS database, table_name AS "table", comment AS description, estimated_size AS row_count
         FROM duckdb_tables() WHERE database_name = current_database()
         UNION ALL
         SELECT schema_name, view_name, comment, NULL FROM duckdb_views()
         WHERE database_name = current_database() AND NOT internal`,
      );
      return withTableFacts(
        groupColumns(
          reader.getRowObjectsJson() as { database: string; table: string; name: string; type: string }[],
          this.store,
        ),
        facts.getRowObjectsJson() as unknown as TableFacts[],
      );
    } finally {
      conn.closeSync();
    }
  }
}
