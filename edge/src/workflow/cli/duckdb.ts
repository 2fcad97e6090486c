import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { CatalogInput } from '../schema.ts';
import { normalizeType } from '../types.ts';

/** A DuckDB database file opened for the CLI; `database` in the catalog is the DuckDB schema name. */
export interface DuckDBFile {
  connection: DuckDBConnection;
  catalog(): Promise<CatalogInput>;
  rows(sql: string): Promise<unknown[][]>;
  close(): void;
}

export async function openDuckDB(path: string): Promise<DuckDBFile> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowsJson() as unknown[][];
  return {
    connection,
    rows,
    async catalog() {
      const columns = await rows(
        `SELECT table_schema, table_name, column_name, data_type, is_nullable FROM information_schema.columns
         WHERE table_catalog = current_database() AND table_schema NOT IN ('information_schema', 'pg_catalog')
         ORDER BY table_schema, table_name, ordinal_position`,
      );
      const tables = new Map<string, CatalogInput[number]>();
      for (const [schema, table, name, dataType, nullable] of columns as string[][]) {
        const key = JSON.stringify([schema, table]);
        if (!tables.has(key))
          tables.set(key, { database: schema!, table: table!, store: 'duckdb', columns: [] });
        const normalized = normalizeType(dataType!);
        tables.get(key)!.columns.push({
          name: name!,
          type: normalized.type,
          nullable: nullable === 'YES' || normalized.nullable,
        });
      }
      return [...tables.values()];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
