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
