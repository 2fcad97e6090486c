export {
  DEFAULT_DATABASES,
  SCHEMA_DIR,
  SCHEMA_FILES,
  dropDatabases,
  migrate,
  prefixedDatabases,
  schemaStatements,
  tablesOf,
  type Databases,
  type Tables,
} from './schema.ts';
export { clickHouseTime, quoteRow, tradeRow } from './rows.ts';
