import {
  compile,
  graphDocumentSchema,
  scanColumns,
  type Acl,
  type Column,
  type CompileSuccess,
  type Graph,
  type WorkflowIssue,
  upstream,
} from '../workflow/index.ts';
import type { AppDeps } from '../deps.ts';
import { ApiError, unavailable } from '../errors.ts';
import type { Timings } from '../middleware/server-timing/index.ts';
import { EngineError, type AnalyticsEngine, type QueryResult, type Row } from '../ports/analytics-engine.ts';
import type { CatalogTable } from '../ports/schema-catalog.ts';
import type { Cache } from '../ports/cache.ts';
import { settlesAtOnce } from '../macrotask.ts';
import type { GlobalFilters, TenantAcl } from '../ports/metadata-store.ts';
import { readDataVersions } from '../live/data-versions.ts';
import { liveReads } from '../live/reads.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { applyView, type FilterName, type ViewOptions } from './view.ts';
import { lruPer, perOwner } from './lru.ts';
import { MissForecast } from './miss-forecast.ts';

/** Plan §14: ClickHouse guard rails for anything a user runs interactively. */
export const PREVIEW_LIMITS = {
  maxExecutionSeconds: 3,
  maxMemoryBytes: 100_000_000,
  maxRowsToRead: 10_000_000,
};
// Exports stream up to EXPORT_MAX_ROWS; they may read more than a preview but still must end.
const EXPORT_LIMITS = { maxExecutionSeconds: 30, maxMemoryBytes: 500_000_000, maxRowsToRead: 100_000_000 };

export interface QueryRequest {
  tenant: string;
  acl: TenantAcl;
  /** Checked by the route's body schema, or by `parseGraph` for a stored workflow. */
  graph: Graph;
  target: string;
  /** Rows wanted; one more is fetched to tell whether the result was truncated. Ignored with `view.page`. */
  limit: number;
  view?: ViewOptions;
  /** Skip the cache read (the user's Refresh); the fresh answer still replaces the cached one. */
  refresh?: boolean;
  /**
   * An embed token's locked filters. They become conditions on every scanned table, like the ACL, so no node above a
   * scan (a group-by dropping the symbol column, a join) can escape them.
   */
  lock?: GlobalFilters;
}

export interface QueryResponse {
  columns: { name: string; type: string }[];
  rows: Row[];
  row_count: number;
  /** Rows the whole result has (before the preview's limit or the page); null when the store cannot count them. */
  total_rows: number | null;
  truncated: boolean;
  execution_ms: number;
  cache_hit: boolean;
  /** `unavailable` when the cache could not be reached: the result is then fresh and uncached, never an error. */
  cache: 'hit' | 'miss' | 'unavailable';
  sql: string;
  /** When the engine ran the query (ISO 8601, UTC): a cache hit keeps the time of the run it came from. */
  as_of: string;
  /** Global filters that no table the query reads could take (no date column, no `symbol`). */
  unapplied_filters: FilterName[];
}

const issueSummary = (errors: WorkflowIssue[]) =>
  errors
    .slice(0, 3)
    .map((e) => (e.nodeId ? `${e.nodeId}: ${e.message}` : e.message))
    .join('; ');

function invalidGraph(errors: WorkflowIssue[]): ApiError {
  const paging = errors.find((e) => e.code === 'PAGE_LIMIT_EXCEEDED');
  if (paging) return new ApiError(422, 'page_limit_exceeded', paging.message, { errors });
  return new ApiError(422, 'invalid_graph', `The workflow has errors: ${issueSummary(errors)}`, { errors });
}

/**
 * Engine errors as product messages. The engine's own text (settings names, internal aliases, addresses) goes to the
 * log with the request id, never to the client.
 */
export function engineFailure(err: unknown): ApiError {
  if (!(err instanceof EngineError)) throw err;
  const internal = { internal: err };
  switch (err.kind) {
    case 'timeout':
      return new ApiError(
        504,
        'query_timeout',
        'The query ran past its time limit. Add a filter or aggregate to make it cheaper.',
        undefined,
        internal,
      );
    case 'too_expensive':
      return new ApiError(
        422,
        'query_too_expensive',
        'The query would read or hold too much data. Add a filter to read fewer rows.',
        undefined,
        internal,
      );
    case 'invalid_query':
      return new ApiError(
        422,
        'query_failed',
        'The analytics engine could not run this workflow. Check the node settings; the request id identifies the details in the server log.',
        undefined,
        internal,
      );
    case 'unavailable':
      return unavailable('engine_unavailable', 'The analytics engine is unavailable', err);
  }
}

/**
 * The part of the graph that decides the result: the target and every node it reads from, without layout-only fields
 * (position, selection, size), edges among them by endpoints. Computed from the request alone, before any compile.
 */
export function canonicalSubgraph(graph: Graph, target: string) {
  const inputs = new Map<string, string[]>();
  for (const e of graph.edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), e.source]);
  const members = upstream(target, (id) => inputs.get(id) ?? []);
  return {
    nodes: graph.nodes
      .filter((n) => members.has(n.id))
      .map((n) => ({ id: n.id, type: n.type, data: n.data }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    edges: graph.edges
      .filter((e) => members.has(e.source) && members.has(e.target))
      .map((e) => {
        const edge = {
          source: e.source,
          target: e.target,
          sourceHandle: e.sourceHandle ?? null,
          targetHandle: e.targetHandle ?? null,
        };
        // Serialised once per edge, not once per comparison.
        return { edge, order: canonicalJson(edge) };
      })
      .sort((a, b) => a.order.localeCompare(b.order))
      .map(({ edge }) => edge),
  };
}

/**
 * The preview cache key: the ONE definition for every reader of the preview cache (canvas previews, table pages,
 * dashboard widgets, embeds). It holds the tenant and the ACL version (AGENTS.md invariant 5) so neither another tenant
 * nor a narrowed ACL is served a stale answer, and an embed token's lock. The data versions of the scanned tables are
 * not in the key but stamped on the cached answer (`stampedAnswer`): the key is then known before any store is asked,
 * so the versions and the answer come back in one round trip, and rows appended since still make the next preview
 * fresh.
 */
export async function previewCacheKey(parts: {
  tenant: string;
  aclVersion: number;
  lock: GlobalFilters | null;
  subgraph: ReturnType<typeof canonicalSubgraph>;
  target: string;
  limit: number | null;
}): Promise<string> {
  return `preview:${await sha256Hex(
    canonicalJson({
      tenant: parts.tenant,
      acl_version: parts.aclVersion,
      lock: parts.lock,
      subgraph: parts.subgraph,
      target: parts.target,
      limit: parts.limit,
    }),
  )}`;
}

/** The cached form of an answer: the data versions it was computed at, a newline, its JSON (which has no raw newline). */
export const stampedAnswer = (dataVersions: string, answer: string): string => `${dataVersions}\n${answer}`;

/** The cached answer's JSON when it was computed at these data versions, else null (rows were appended since). */
export function currentAnswer(cached: string, dataVersions: string): string | null {
  const at = cached.indexOf('\n');
  return at >= 0 && cached.slice(0, at) === dataVersions ? cached.slice(at + 1) : null;
}

/** The tenant ACL narrowed by an embed lock: the conditions every scan gets. */
export function scanAcl(acl: TenantAcl, lock: GlobalFilters = {}): Acl | undefined {
  const symbols =
    lock.symbols && acl.allowedSymbols
      ? lock.symbols.filter((s) => acl.allowedSymbols!.includes(s))
      : (lock.symbols ?? acl.allowedSymbols);
  const out: Acl = {
    ...(symbols ? { allowedSymbols: symbols } : {}),
    ...(lock.date_from ? { timeFrom: lock.date_from } : {}),
    ...(lock.date_to ? { timeTo: lock.date_to } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A lock no scanned table can carry would silently not apply: refuse the token for that widget instead (a join of a
 * locked and an unlockable table is fine, the lock holds on the rows it can condition).
 */
function checkLockApplies(graph: Graph, compiled: CompileSuccess, lock: GlobalFilters): void {
  const sources = new Set(graph.nodes.filter((n) => n.type === 'data_source').map((n) => n.id));
  const scans = compiled.perNode.filter((n) => sources.has(n.nodeId)).map((n) => scanColumns(n.schema));
  const missing: string[] = [];
  if (lock.symbols && !scans.some((s) => s.symbol))
    missing.push('symbols, but no table it reads has a symbol column');
  if ((lock.date_from || lock.date_to) && !scans.some((s) => s.time))
    missing.push('dates, but no table it reads has a date or time column');
  if (missing.length > 0)
    throw new ApiError(
      403,
      'lock_not_applicable',
      `The embed token locks ${missing.join('; and locks ')}: it cannot be used for this widget`,
    );
}

/** A stored graph (a saved workflow) checked like a request body; request bodies arrive checked by their route. */
export function parseGraph(graph: unknown): Graph {
  const parsed = graphDocumentSchema.safeParse(graph);
  if (parsed.success) return parsed.data;
  throw new ApiError(422, 'invalid_graph', 'The graph is not a React Flow graph', {
    errors: parsed.error.issues.map((i) => ({
      nodeId: '',
      code: 'INVALID_GRAPH',
      message: `${i.path.join('.')}: ${i.message}`,
    })),
  });
}

/** The request's view applied: the graph and node that will run, before anything is compiled. */
interface Prepared {
  graph: Graph;
  target: string;
  catalog: CatalogTable[];
  unapplied: FilterName[];
}

async function prepare(deps: AppDeps, req: Omit<QueryRequest, 'limit'>): Promise<Prepared> {
  // The catalog lives in this process (RefreshingCatalog): no round trip unless its 60 s are up.
  const catalog = await deps.catalog.tables(req.acl.allowedTables);
  const { graph, target, unapplied } = applyView(req.graph, req.target, req.view ?? {}, catalog);
  return { graph, target, catalog, unapplied };
}

interface Compiled {
  compiled: CompileSuccess;
  engine: AnalyticsEngine;
}

function compileFor(
  deps: AppDeps,
  req: Omit<QueryRequest, 'limit'>,
  { graph, target, catalog }: Prepared,
  limit: number | undefined,
): Compiled {
  const acl = scanAcl(req.acl, req.lock);
  const options = { catalog, ...(acl ? { acl } : {}), ...(limit === undefined ? {} : { limit }) };
  const compiled = compile(graph, target, options);
  if (!compiled.ok) throw invalidGraph(compiled.errors);
  if (req.lock) checkLockApplies(graph, compiled, req.lock);
  const engine = deps.analytics[compiled.store];
  if (!engine) {
    throw new ApiError(
      422,
      'store_unavailable',
      `This deployment has no ${compiled.store} engine for the workflow's tables`,
    );
  }
  return { compiled, engine };
}

/**
 * A result over a table that receives rows while the app runs (Materialize, Redis point lookups, LIVE_TABLES) is cached
 * only for LIVE_CACHE_TTL seconds, so "newest first" is never minutes old; history stays cached for PREVIEW_CACHE_TTL.
 */
function cacheTtl(
  deps: AppDeps,
  compiled: CompileSuccess,
  subgraph: ReturnType<typeof canonicalSubgraph>,
): number {
  const { LIVE_CACHE_TTL, PREVIEW_CACHE_TTL, liveTables } = deps.config;
  const live =
    compiled.store === 'materialize' ||
    compiled.store === 'redis' ||
    subgraph.nodes.some((n) => {
      const data = n.data as { database?: unknown; table?: unknown } | null;
      return n.type === 'data_source' && liveTables.has(`${String(data?.database)}.${String(data?.table)}`);
    });
  return live ? Math.min(LIVE_CACHE_TTL, PREVIEW_CACHE_TTL) : PREVIEW_CACHE_TTL;
}

const outColumns = (schema: Column[]) => schema.map((c) => ({ name: c.name, type: c.type }));

const serialized = new WeakMap<QueryResponse, string>();

/**
 * An answer's JSON, serialised once: the preview route sends these bytes and the deferred cache write stores the same
 * string. The answer must not change after the first call.
 */
export function responseJson(response: QueryResponse): string {
  let json = serialized.get(response);
  if (json === undefined) {
    json = JSON.stringify(response);
    serialized.set(response, json);
  }
  return json;
}

/** Per-request hooks of the HTTP layer: phase timings (`Server-Timing`) and work that may outlive the response. */
export interface QueryContext {
  timings?: Pick<Timings, 'measure' | 'add'>;
  /** Takes the cache write, to run after the response (errors are its to log); without it the write is awaited. */
  defer?: (work: () => Promise<unknown>) => void;
  /**
   * Starts the request's rate-limit count (`limitBeside` routes), called beside the cache read so both share a round
   * trip; its verdict is awaited before anything runs on an engine (a refusal rejects it).
   */
  admit?: () => Promise<void>;
  /** Before `admit` has answered: whether it is likely to admit the request (false once refused lately). */
  admitLikely?: () => boolean;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(work: Promise<T>): Promise<Settled<T>> =>
  work.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
function unsettle<T>(settled: Settled<T>): T {
  if (settled.ok) return settled.value;
  throw settled.error;
}

/** Keys this process answered lately, per cache: likely hits, so not worth compiling before the cache has answered. */
const answered = lruPer<Cache, true>(5_000);

/** The data version of each table as last read from each cache (null: never bumped). */
const versionsSeen = lruPer<Cache, string | null>(1_000);

/** How often this process's likely misses on each cache were misses (`MissForecast`). */
const forecastOf = perOwner<Cache, MissForecast>(() => new MissForecast());

interface EngineRun {
  compiled: CompileSuccess;
  engine: AnalyticsEngine;
  result: QueryResult;
  asOf: string;
}

/** An engine run started before the cache answered: used on a miss, cancelled on a hit or a refusal. */
interface EarlyRun {
  /** Its result, its time reported as `engine` (from its start, not from when the cache answered). */
  use(): Promise<EngineRun>;
  /** The data versions known from earlier reads when it started: an answer stamped later must not claim newer ones. */
  versionsBefore: Record<string, string | null>;
  cancel(): void;
}

/**
 * Compilations by preview cache key, per catalog array (one per ACL until the next discovery, so a new discovery
 * starts afresh). The key holds everything the SQL depends on besides the catalog — subgraph after the view, target,
 * tenant, ACL version, lock, limit — so a miss on a key compiled before (its tables got rows since: a live table's
 * previews and a dashboard's widgets after every tick) runs the same SQL without compiling again. Only successes are
 * kept: an invalid graph always reaches the compiler and its 422.
 */
const compilations = lruPer<CatalogTable[], Compiled>(500);

/**
 * Cache first: the key comes from the request alone (the canonical subgraph up to the target after the view, tenant,
 * ACL version, lock), so a hit costs one read of the answer and the data versions it must match — no compile.
 * A miss compiles (with the tenant's ACL at the scan), runs on the store's engine with the guard rails and caches the
 * answer for PREVIEW_CACHE_TTL (LIVE_CACHE_TTL over live tables). An invalid graph is never cached, so it always
 * reaches the compiler and its 422. A key compiled before reuses that compilation (no `compile` phase then).
 *
 * When the cache is remote and the key is not one this process answered lately (a likely miss), the compile runs while
 * the read is on the network instead of after it, and the engine starts too (an early run) unless one of these says
 * to wait for the cache: likely misses here lately turned out hits (`MissForecast`), the rate limit refused this
 * principal lately, or a table's data version was never read here. A hit or a refusal cancels the early run (its time
 * shows as `engine-cancelled`); its answer is cached only when the data versions read match the ones known before it
 * started, so no answer is stamped with a version its rows may predate.
 */
export async function runQuery(
  deps: AppDeps,
  req: QueryRequest,
  ctx: QueryContext = {},
): Promise<QueryResponse> {
  const time = <T>(phase: string, fn: () => Promise<T> | T): Promise<T> =>
    ctx.timings ? ctx.timings.measure(phase, fn) : Promise.resolve(fn());
  const paged = req.view?.page !== undefined;
  const prepared = await time('key', () => prepare(deps, req));
  const subgraph = canonicalSubgraph(prepared.graph, prepared.target);
  // Settled rather than thrown, so a compile started early reports its error only where a compile is due: after the
  // cache (a hit needs none) and the rate limit (a refused request is a 429, whatever its graph).
  const memo = compilations(prepared.catalog);
  const compileNow = (): Promise<Settled<Compiled>> => {
    const known = key ? memo.get(key) : undefined;
    if (known) return settle(Promise.resolve(known));
    return settle(
      time('compile', () => {
        const fresh = compileFor(deps, req, prepared, paged ? undefined : req.limit + 1);
        if (key) memo.set(key, fresh);
        return fresh;
      }),
    );
  };
  let compiling: Promise<Settled<Compiled>> | undefined;
  const recent = answered(deps.cache);
  const seen = versionsSeen(deps.cache);
  const forecast = forecastOf(deps.cache);
  const execute = async ({ compiled, engine }: Compiled, signal?: AbortSignal): Promise<EngineRun> => {
    const asOf = new Date().toISOString();
    try {
      const result = await deps.queryGate.run(req.tenant, () =>
        engine.query(compiled.sql, { limits: PREVIEW_LIMITS, ...(signal ? { signal } : {}) }),
      );
      return { compiled, engine, result, asOf };
    } catch (err) {
      throw engineFailure(err);
    }
  };
  const startEarly = (tables: string[], compiled: Promise<Settled<Compiled>>): EarlyRun => {
    const controller = new AbortController();
    let started: number | undefined;
    let ended: number | undefined;
    const run = compiled.then((c): Settled<EngineRun> | Promise<Settled<EngineRun>> => {
      if (!c.ok || controller.signal.aborted)
        return c.ok ? { ok: false, error: controller.signal.reason } : c;
      started = performance.now();
      return settle(execute(c.value, controller.signal).finally(() => (ended = performance.now())));
    });
    return {
      async use() {
        const settled = await run;
        if (started !== undefined) ctx.timings?.add('engine', ended! - started);
        return unsettle(settled);
      },
      versionsBefore: Object.fromEntries(tables.map((t) => [t, seen.get(t) ?? null])),
      cancel() {
        if (controller.signal.aborted) return;
        controller.abort();
        if (started !== undefined)
          ctx.timings?.add('engine-cancelled', (ended ?? performance.now()) - started);
      },
    };
  };

  let cache: QueryResponse['cache'] = 'miss';
  let key = '';
  let dataVersions = '';
  let admitted: Promise<void> | undefined;
  let early: EarlyRun | undefined;
  try {
    const hit = await time('cache', async () => {
      key = await previewCacheKey({
        tenant: req.tenant,
        aclVersion: req.acl.version,
        lock: req.lock ?? null,
        subgraph,
        target: prepared.target,
        limit: paged ? null : req.limit,
      });
      const tables = liveReads(prepared.graph, prepared.target).tables;
      // Started in the same macrotask as the cache read: one request to the Upstash port carries both.
      admitted = ctx.admit?.();
      const reading = readDataVersions(deps.cache, tables, req.refresh ? undefined : key);
      const likelyMiss = req.refresh || !(recent.has(key) || memo.has(key));
      // An in-process read answers within this macrotask: not worth the event-loop turn that would tell so.
      if (likelyMiss && !deps.cache.inProcess && !(await settlesAtOnce(reading))) {
        compiling = compileNow();
        const runEarly =
          (req.refresh || forecast.trusted()) &&
          (ctx.admitLikely?.() ?? true) &&
          tables.every((t) => seen.has(t));
        if (runEarly) early = startEarly(tables, compiling);
      }
      const read = await reading;
      for (const t of tables) seen.set(t, read.versions[t] ?? null);
      dataVersions = canonicalJson(read.versions);
      const answer = read.value === null ? null : currentAnswer(read.value, dataVersions);
      if (likelyMiss && !req.refresh) forecast.record(answer !== null);
      return answer;
    });
    // An unapplied filter adds no node, so it is not in the key: it is reported from this request, not the cache.
    if (hit !== null) {
      early?.cancel();
      recent.set(key, true);
      return {
        ...(JSON.parse(hit) as QueryResponse),
        cache_hit: true,
        cache: 'hit',
        unapplied_filters: prepared.unapplied,
      };
    }
  } catch {
    cache = 'unavailable';
  }
  // The rate limit was counted beside the cache read; a refused request must not reach the engine (an early run stops).
  try {
    await (admitted ?? ctx.admit?.());
  } catch (err) {
    early?.cancel();
    throw err;
  }

  let run: EngineRun;
  if (early) {
    run = await early.use();
  } else {
    const compiledNow = unsettle(await (compiling ?? compileNow()));
    run = await time('engine', () => execute(compiledNow));
  }
  const { compiled, engine, result, asOf } = run;
  // An early run's rows may predate a version bumped while it started: serve them, but do not stamp them as current.
  const stampable = !early || canonicalJson(early.versionsBefore) === dataVersions;
  const truncated = !paged && result.rows.length > req.limit;
  const rows = truncated ? result.rows.slice(0, req.limit) : result.rows;
  const known = knownTotal(req, truncated, rows.length);
  const total =
    known !== undefined
      ? known
      : await time('count', () => countRows(deps, req, prepared, compiled.store, engine));
  const response: QueryResponse = {
    columns: outColumns(compiled.schema),
    rows,
    row_count: rows.length,
    total_rows: total,
    truncated,
    execution_ms: Math.round(result.elapsedMs * 100) / 100,
    cache_hit: false,
    cache,
    sql: compiled.sql,
    as_of: asOf,
    unapplied_filters: prepared.unapplied,
  };
  if (cache === 'miss' && stampable) {
    recent.set(key, true);
    const write = () =>
      time('cache', () =>
        deps.cache.set(
          key,
          stampedAnswer(dataVersions, responseJson(response)),
          cacheTtl(deps, compiled, subgraph),
        ),
      );
    if (ctx.defer) {
      ctx.defer(write);
      return response;
    }
    try {
      await write();
    } catch {
      response.cache = 'unavailable';
    }
  }
  return response;
}

/**
 * The total when the answer itself tells it: an untruncated preview, or a page that is not full (or the first page
 * empty). Otherwise undefined: the rows must be counted.
 */
export function knownTotal(
  req: Pick<QueryRequest, 'view'>,
  truncated: boolean,
  rows: number,
): number | undefined {
  const page = req.view?.page;
  if (!page) return truncated ? undefined : rows;
  if (rows < page.pageSize && (rows > 0 || page.page === 0)) return page.page * page.pageSize + rows;
  return undefined;
}

/** The node whose rows a total counts: a table_view's input, since its own page would cap the count. */
export function countTarget(graph: Graph, target: string): string {
  const node = graph.nodes.find((n) => n.id === target);
  if (node?.type !== 'table_view') return target;
  const incoming = graph.edges.filter((e) => e.target === target);
  return incoming.length === 1 ? incoming[0]!.source : target;
}

/**
 * A separate count, asked only when the rows do not tell the total (measured on the embedded mode's 655 k-trade tape:
 * `count(*) OVER ()` beside the rows stops DuckDB's early exit of a LIMIT scan, 1.8 → 83 ms). The redis store's lookup
 * plans have no count; a count stopped by the guard rails leaves the total unknown rather than failing the rows.
 */
async function countRows(
  deps: AppDeps,
  req: QueryRequest,
  prepared: Prepared,
  store: CompileSuccess['store'],
  engine: AnalyticsEngine,
): Promise<number | null> {
  if (store === 'redis') return null;
  const target = countTarget(prepared.graph, prepared.target);
  const acl = scanAcl(req.acl, req.lock);
  const counted = compile(prepared.graph, target, {
    catalog: prepared.catalog,
    count: true,
    ...(acl ? { acl } : {}),
  });
  if (!counted.ok) return null;
  try {
    const result = await deps.queryGate.run(req.tenant, () =>
      engine.query(counted.sql, { limits: PREVIEW_LIMITS }),
    );
    return Number(result.rows[0]?.[0] ?? 0);
  } catch (err) {
    if (err instanceof EngineError) return null;
    throw err;
  }
}

/** CSV export: the same compilation, streamed from the engine, capped at EXPORT_MAX_ROWS, never cached. */
export async function streamQuery(deps: AppDeps, req: Omit<QueryRequest, 'limit'>) {
  const { compiled, engine } = compileFor(deps, req, await prepare(deps, req), deps.config.EXPORT_MAX_ROWS);
  // An export holds its tenant's query slot until its last row is read (or the client goes away).
  const release = await deps.queryGate.acquire(req.tenant);
  let rows: AsyncIterable<Row>;
  try {
    ({ rows } = await engine.stream(compiled.sql, { limits: EXPORT_LIMITS }));
  } catch (err) {
    release();
    throw engineFailure(err);
  }
  async function* releasing() {
    try {
      yield* rows;
    } finally {
      release();
    }
  }
  return { columns: outColumns(compiled.schema), rows: releasing(), sql: compiled.sql };
}
