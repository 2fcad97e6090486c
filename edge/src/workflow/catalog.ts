import { didYouMean } from './errors.ts';
import type { Catalog, CatalogTable } from './schema.ts';

export function findTable(catalog: Catalog, database: string, table: string): CatalogTable | undefined {
  return catalog.find((t) => t.database === database && t.table === table);
}

/** Explains a missing table, pointing at the database or the table name that is probably misspelled. */
export function unknownTableMessage(
  catalog: Catalog,
  database: string,
  table: string,
): { field: 'database' | 'table'; message: string } {
  const databases = [...new Set(catalog.map((t) => t.database))];
  if (!databases.includes(database))
    return {
      field: 'database',
      message: `Unknown database "${database}".${didYouMean(database, databases)}`,
    };
  const tables = catalog.filter((t) => t.database === database).map((t) => t.table);
  return { field: 'table', message: `Unknown table "${database}.${table}".${didYouMean(table, tables)}` };
}
