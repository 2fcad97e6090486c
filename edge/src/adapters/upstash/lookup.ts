import type { Redis } from '@upstash/redis';
import { hashKey, LATEST_DATABASE, LATEST_HASHES } from '../../live/keys.ts';
import {
  EngineError,
  type AnalyticsEngine,
  type QueryResult,
  type ResultColumn,
  type Row,
} from '../../ports/analytics-engine.ts';
import type { CatalogSource, CatalogTable } from '../../ports/schema-catalog.ts';
import {
  LOOKUP_KEY_COLUMN,
  lookupPlanSchema,
  lookupRows,
  type LookupPlan,
  type LookupRecord,
} from '../../workflow/index.ts';

/** A plan without symbols reads every hash of its table: bounded, since a table holds one hash per instrument. */
const MAX_SCANNED_KEYS = 10_000;

/**
 * The redis store: runs the engine's lookup plans (the "SQL" of a workflow over `latest.*`) as HGETALLs in one
 * pipeline, then leaves conditions, columns, order and the row window to the engine's pure `lookupRows`.
 */
export class RedisLookupEngine implements AnalyticsEngine {
  readonly store = 'redis';

  constructor(private readonly redis: Redis) {}

  async query(text: string): Promise<QueryResult> {
    const started = performance.now();
    const plan = parsePlan(text);
    const records = await unavailableOnFailure(() => this.read(plan));
    return {
      columns: columnsOf(plan),
      rows: lookupRows(plan, records),
      elapsedMs: Math.round((performance.now() - started) * 100) / 100,
    };
  }

  async stream(text: string): Promise<{ columns: ResultColumn[]; rows: AsyncIterable<Row> }> {
    const { columns, rows } = await this.query(text);
    return {
      columns,
      rows: (async function* () {
        yield* rows;
      })(),
    };
  }

  async ping(): Promise<void> {
    await unavailableOnFailure(() => this.redis.ping());
  }

  private async read(plan: LookupPlan): Promise<LookupRecord[]> {
    const prefix = hashKey(plan.lookup, '');
    const keys = plan.symbols ? plan.symbols.map((s) => prefix + s) : await this.keysUnder(prefix);
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hgetall(key);
    // Without automatic deserialization a hash comes back as RESP has it: [field, value, …]; a missing key as [].
    const hashes = await pipeline.exec<string[][]>();
    return keys.flatMap((key, i) => {
      const flat = hashes[i] ?? [];
      if (flat.length === 0) return [];
      const fields: Record<string, string> = {};
      for (let f = 0; f + 1 < flat.length; f += 2) fields[flat[f]!] = flat[f + 1]!;
      return [{ symbol: key.slice(prefix.length), fields }];
    });
  }

  private async keysUnder(prefix: string): Promise<string[]> {
    const keys = new Set<string>();
    // Glob metacharacters in a table name must match themselves.
    const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor: string | number = 0;
    do {
      const [next, batch]: [string | number, string[]] = await this.redis.scan(cursor, {
        match,
        count: 1000,
      });
      for (const key of batch) keys.add(key);
      if (keys.size > MAX_SCANNED_KEYS)
        throw new EngineError('too_expensive', `more than ${MAX_SCANNED_KEYS} hashes under ${prefix}`);
      cursor = next;
    } while (String(cursor) !== '0');
    return [...keys].sort();
  }
}

function parsePlan(text: string): LookupPlan {
  try {
    return lookupPlanSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new EngineError('invalid_query', `not a lookup plan: ${(error as Error).message}`);
  }
}

const columnsOf = (plan: LookupPlan): ResultColumn[] =>
  plan.columns.map((c) => ({ name: c.name, type: c.type }));

async function unavailableOnFailure<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('unavailable', `redis: ${(error as Error).message}`);
  }
}

/** The hash families the workers keep (`LATEST_HASHES`): fixed tables, since Redis has no schema to discover. */
export class RedisCatalogSource implements CatalogSource {
  readonly store = 'redis';

  discover(): Promise<CatalogTable[]> {
    return Promise.resolve(
      Object.entries(LATEST_HASHES).map(([table, fields]) => ({
        database: LATEST_DATABASE,
        table,
        store: this.store,
        columns: [
          { name: LOOKUP_KEY_COLUMN, type: 'string', nullable: false },
          // Written together by one HSET, but a hash from an older writer may lack a newer field.
          ...Object.entries(fields).map(([name, type]) => ({ name, type, nullable: true })),
        ],
      })),
    );
  }
}
