export {
  DEFAULT_DATABASES,
  dropDatabases,
  migrate,
  prefixedDatabases,
  tablesOf,
  type Databases,
  type Tables,
} from './schema.ts';
export { clickHouseTime, quoteRow, tradeRow } from './rows.ts';
