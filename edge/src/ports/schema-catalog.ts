/** Tables the analytical stores expose, with normalized column types (the engine's `normalizeType`). */
export interface CatalogColumn {
  name: string;
  type: string;
  nullable: boolean;
}

export interface CatalogTable {
  database: string;
  table: string;
  store: string;
  columns: CatalogColumn[];
  /** The store's comment on the table (what the table holds, for the canvas's table picker). */
  description?: string;
  /** The store's row count estimate; absent for views and stores that keep none. */
  row_count?: number;
}

/** What a store knows about a table beyond its columns. */
export interface TableFacts {
  database: string;
  table: string;
  description: string | null;
  row_count: number | string | null;
}

/** One store's discovery query (`system.columns`, `information_schema.columns`…). */
export interface CatalogSource {
  readonly store: string;
  discover(): Promise<CatalogTable[]>;
}

export interface SchemaCatalog {
  /** Tables visible to a tenant: all discovered tables, narrowed by the tenant's allowed_tables when it has them. */
  tables(allowedTables: string[] | null): Promise<CatalogTable[]>;
  refresh(): Promise<void>;
}
