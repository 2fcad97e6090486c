import { createClient, type ClickHouseClient } from '@clickhouse/client-web';
import type {
  AnalyticsEngine,
  QueryOptions,
  QueryResult,
  ResultColumn,
  Row,
} from '../../ports/analytics-engine.ts';
import { EngineError } from '../../ports/analytics-engine.ts';
import type { CatalogSource, CatalogTable, TableFacts } from '../../ports/schema-catalog.ts';
import { normalizeType } from '../../workflow/index.ts';
import { jsonValue } from '../../workflow/json-value.ts';

export interface ClickHouseOptions {
  url: string;
  username?: string;
  password?: string;
  /** Databases the catalog discovers (plan §11). */
  databases?: string[];
}

export function clickHouseClient(opts: ClickHouseOptions): ClickHouseClient {
  return createClient({
    url: opts.url,
    username: opts.username ?? 'default',
    password: opts.password ?? '',
    request_timeout: 30_000,
  });
}

const FORMAT = 'JSONCompactEachRowWithNamesAndTypes';
const TIMEOUT_CODES = new Set([159, 160, 209]);
// TOO_MANY_ROWS, MEMORY_LIMIT_EXCEEDED, TOO_MANY_BYTES, TOO_MANY_ROWS_OR_BYTES, QUERY_WAS_CANCELLED by limits
const EXPENSIVE_CODES = new Set([158, 241, 307, 396]);

/**
 * The preview guard rails go in the query's own SETTINGS clause (the plan's form), not in URL parameters: query-level
 * settings die with the query, while URL settings become session state on servers that emulate ClickHouse's HTTP
 * interface with one session (our chdb stack), and `readonly=1` set there can never be unset again.
 */
function withSettings(sql: string, limits: QueryOptions['limits']): string {
  // Datetimes are UTC instants: functions without an explicit zone must not follow the server's.
  const settings = ["session_timezone = 'UTC'"];
  if (limits)
    settings.push(
      `max_execution_time = ${Math.trunc(limits.maxExecutionSeconds)}`,
      `max_memory_usage = ${Math.trunc(limits.maxMemoryBytes)}`,
      `max_rows_to_read = ${Math.trunc(limits.maxRowsToRead)}`,
      'readonly = 1',
    );
  // The compiler may end a query with its own SETTINGS line (e.g. join_use_nulls for outer joins); a query has one.
  const own = /\nSETTINGS ([^\n]+)$/.exec(sql);
  return own ? `${sql}, ${settings.join(', ')}` : `${sql}\nSETTINGS ${settings.join(', ')}`;
}

function cleanMessage(message: string): string {
  return message
    .replace(/^Code: \d+\. DB::Exception: /, '')
    .replace(/\s*\(version [^)]*\)\s*$/, '')
    .replace(/\.?\s*Stack trace:[\s\S]*$/, '')
    .trim();
}

export function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  const e = err as { code?: string; message?: string; name?: string };
  const code = Number(e.code);
  const message = cleanMessage(e.message ?? String(err));
  if (
    TIMEOUT_CODES.has(code) ||
    e.name === 'AbortError' ||
    (/timeout/i.test(message) && !Number.isFinite(code))
  ) {
    return new EngineError('timeout', `Query exceeded its time limit: ${message}`);
  }
  if (EXPENSIVE_CODES.has(code)) return new EngineError('too_expensive', `Query too expensive: ${message}`);
  if (Number.isFinite(code) && code > 0) return new EngineError('invalid_query', message);
  return new EngineError('unavailable', `ClickHouse unreachable: ${message}`);
}

/** Every cell becomes its normalized type's JSON form (json-value.ts), the same on every engine. */
function cellMapper(type: string): (v: unknown) => unknown {
  const normalized = normalizeType(type).type;
  return (v) => jsonValue(v, normalized);
}

export class ClickHouseEngine implements AnalyticsEngine {
  readonly store = 'clickhouse';

  constructor(private readonly client: ClickHouseClient) {}

  private async open(sql: string, options: QueryOptions) {
    try {
      const rs = await this.client.query({
        query: withSettings(sql, options.limits),
        format: FORMAT,
        ...(options.signal ? { abort_signal: options.signal } : {}),
      });
      return rs;
    } catch (err) {
      throw toEngineError(err);
    }
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const started = performance.now();
    const rs = await this.open(sql, options);
    let lines: unknown[][];
    try {
      lines = await rs.json<unknown[]>();
    } catch (err) {
      throw toEngineError(err);
    }
    const [names = [], types = [], ...data] = lines;
    const columns = names.map((name, i) => ({ name: String(name), type: String(types[i]) }));
    const mappers = columns.map((c) => cellMapper(c.type));
    const rows = data.map((r) => r.map((v, i) => mappers[i]!(v)));
    return { columns, rows, elapsedMs: performance.now() - started };
  }

  async stream(
    sql: string,
    options: QueryOptions = {},
  ): Promise<{ columns: ResultColumn[]; rows: AsyncIterable<Row> }> {
    const rs = await this.open(sql, options);
    const reader = rs.stream<unknown[]>().getReader();
    const header: unknown[][] = [];
    let pending: unknown[][] = [];
    // Names and types are the first two lines of the stream; read until we have them so callers know the columns.
    while (header.length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const row of value) (header.length < 2 ? header : pending).push(row.json());
    }
    const [names = [], types = []] = header;
    const columns = names.map((name, i) => ({ name: String(name), type: String(types[i]) }));
    const mappers = columns.map((c) => cellMapper(c.type));
    const mapRow = (r: unknown[]) => r.map((v, i) => mappers[i]!(v));
    async function* rows(): AsyncGenerator<Row> {
      try {
        for (const r of pending) yield mapRow(r);
        pending = [];
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          for (const row of value) yield mapRow(row.json());
        }
      } finally {
        reader.releaseLock();
      }
    }
    return { columns, rows: rows() };
  }

  async ping(): Promise<void> {
    const r = await this.client.ping();
    if (!r.success) throw toEngineError(r.error);
  }
}

/** Discovery from `system.columns` over the plan's databases. */
export class ClickHouseCatalogSource implements CatalogSource {
  readonly store = 'clickhouse';

  constructor(
    private readonly client: ClickHouseClient,
    private readonly databases: string[] = ['flowforge', 'metrics', 'marts'],
  ) {}

  async discover(): Promise<CatalogTable[]> {
    const rs = await this.client.query({
      query: `SELECT database, table, name, type FROM system.columns
              WHERE database IN ({databases:Array(String)}) ORDER BY database, table, position`,
      query_params: { databases: this.databases },
      format: 'JSONEachRow',
    });
    const rows = await rs.json<{ database: string; table: string; name: string; type: string }>();
    const facts = await this.client.query({
      query: `SELECT database, name AS table, comment AS description, total_rows AS row_count FROM system.tables
              WHERE database IN ({databases:Array(String)})`,
      query_params: { databases: this.databases },
      format: 'JSONEachRow',
    });
    return withTableFacts(groupColumns(rows, this.store), await facts.json<TableFacts>());
  }
}

/** Adds each table's description and row count (a store's empty comment or unknown count stays absent). */
export function withTableFacts(tables: CatalogTable[], facts: readonly TableFacts[]): CatalogTable[] {
  const byName = new Map(facts.map((f) => [`${f.database}.${f.table}`, f]));
  return tables.map((t) => {
    const f = byName.get(`${t.database}.${t.table}`);
    return {
      ...t,
      ...(f?.description ? { description: f.description } : {}),
      ...(f?.row_count !== null && f?.row_count !== undefined ? { row_count: Number(f.row_count) } : {}),
    };
  });
}

export function groupColumns(
  rows: { database: string; table: string; name: string; type: string }[],
  store: string,
): CatalogTable[] {
  const tables = new Map<string, CatalogTable>();
  for (const r of rows) {
    const key = `${r.database}.${r.table}`;
    const t = tables.get(key) ?? { database: r.database, table: r.table, store, columns: [] };
    const { type, nullable } = normalizeType(r.type);
    t.columns.push({ name: r.name, type, nullable });
    tables.set(key, t);
  }
  return [...tables.values()];
}
