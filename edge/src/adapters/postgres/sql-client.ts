import { MetadataUnavailable } from '../../ports/metadata-store.ts';

/** The slice of a PostgreSQL driver the metadata store and the migrator need; Neon and PGlite each implement it. */
export interface SqlClient {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Rows as arrays with the result's column names and type OIDs (analytical queries, where order matters). */
  queryArrays(
    text: string,
    params?: unknown[],
  ): Promise<{ fields: { name: string; dataTypeID: number }[]; rows: unknown[][] }>;
  /** Runs several `;`-separated statements (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` on one connection inside BEGIN/COMMIT, rolling back when it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

// SQLSTATE classes that mean the server or the connection went away, not that the statement was wrong.
const CONNECTION_STATES = /^(08|57P0[123]|53300)/;
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * Whether a driver error means "the database is unreachable": a connection-class SQLSTATE, or no SQLSTATE at all from
 * something that is not a programming error (the drivers report refused and dropped sockets as plain errors/events).
 */
export function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SQLSTATE.test(code)) return CONNECTION_STATES.test(code);
  return !(err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError);
}

const guard = async <T>(run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (err) {
    throw isConnectionFailure(err) && !(err instanceof MetadataUnavailable)
      ? new MetadataUnavailable(err)
      : err;
  }
};

/** The same client whose unreachable-database failures surface as `MetadataUnavailable`. */
export function reportingOutages(sql: SqlClient): SqlClient {
  return {
    query: <T>(text: string, params?: unknown[]) => guard(() => sql.query<T>(text, params)),
    queryArrays: (text, params) => guard(() => sql.queryArrays(text, params)),
    exec: (text) => guard(() => sql.exec(text)),
    transaction: (fn) => guard(() => sql.transaction((tx) => fn(reportingOutages(tx)))),
  };
}
