/**
 * The workflow engine's public API (browser-safe: no I/O). See ARCHITECTURE.md in this folder for the stages.
 */
export {
  compile,
  type CompileFailure,
  type CompileOptions,
  type CompileResult,
  type CompileSuccess,
  type CompiledNode,
} from './compile.ts';
export { validate } from './validate.ts';
export {
  LOOKUP_KEY_COLUMN,
  lookupPlanSchema,
  lookupRows,
  type LookupPlan,
  type LookupRecord,
} from './lookup.ts';
export { propagate, type PropagationResult } from './propagate.ts';
export { ISSUE_CODES, type IssueCode, type WorkflowIssue } from './errors.ts';
export {
  catalogSchema,
  graphDocumentSchema,
  graphSchema,
  STORES,
  type Catalog,
  type CatalogInput,
  type CatalogTable,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type Store,
} from './schema.ts';
export { graphJsonSchema } from './json-schema.ts';
export {
  GRAPH_MIGRATIONS,
  GRAPH_VERSION,
  migrateGraph,
  type GraphMigration,
  type MigrationResult,
} from './graph-migrations.ts';
export { jsonNumber } from './json-number.ts';
export { jsonValue } from './json-value.ts';
export { fillFreeHandles, upstream } from './graph.ts';
export {
  isDateTime,
  isNumeric,
  isTemporal,
  normalizeType,
  type Column,
  type ColumnType,
  type NormalizedType,
} from './types.ts';
export { DIALECTS, type DialectName } from './dialects/index.ts';
export { NODE_TYPES } from './nodes/index.ts';
export type { Acl } from './nodes/index.ts';
export { MAX_PAGE_OFFSET } from './nodes/table-view.ts';
export { scanColumns } from './nodes/data-source.ts';
export { FILTER_OPS, filterOpsFor } from './nodes/filter.ts';
export { AGGREGATE_FUNCTIONS, aggregateFunctionsFor } from './nodes/aggregation.ts';
export { BAR_ORDERS, KPI_DEFAULT_POINTS } from './nodes/chart.ts';
export { parseFormula, compileFormula, type FormulaAst, type FormulaResult } from './formula/index.ts';
export { FORMULA_FUNCTIONS, FORMULA_OPERATORS, type FormulaFunction } from './formula/functions.ts';
