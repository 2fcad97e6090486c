/**
 * Normalized column types: every store's type names collapse onto these so that propagation, type checking and the
 * canvas speak one vocabulary. `decimal(p,s)` keeps precision and scale because the catalog and the UI display them.
 * `datetime` is a zone-less timestamp read as UTC; `datetime(zone)` an instant that its store keeps with a time zone
 * (PostgreSQL `timestamptz` and DuckDB `TIMESTAMPTZ` are `datetime(UTC)`, ClickHouse `DateTime64(3, 'zone')` keeps its
 * IANA zone). Both hold the same instants and compute in UTC; the zone decides how the stores spell them.
 */
export type ColumnType =
  | 'string'
  | 'int64'
  | 'float64'
  | 'datetime'
  | `datetime(${string})`
  | 'date'
  | 'boolean'
  | `decimal(${number},${number})`;

export interface Column {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

const SCALAR_TYPES = ['string', 'int64', 'float64', 'datetime', 'date', 'boolean'] as const;

const DECIMAL = /^decimal\((\d{1,2}),(\d{1,2})\)$/;
/** IANA zone names (`UTC`, `America/New_York`, `Etc/GMT+5`): the zone is printed inside SQL string literals. */
const ZONED = /^datetime\(([A-Za-z][A-Za-z0-9_+\-/]{0,63})\)$/;

function decimalType(precision: number, scale: number): ColumnType {
  return `decimal(${precision},${scale})`;
}

export function parseColumnType(text: string): ColumnType | undefined {
  if ((SCALAR_TYPES as readonly string[]).includes(text)) return text as ColumnType;
  const zoned = ZONED.exec(text);
  if (zoned) return isTimeZone(zoned[1]!) ? zonedDateTime(zoned[1]!) : undefined;
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const precision = Number(m[1]);
  const scale = Number(m[2]);
  return precision >= 1 && precision <= 76 && scale <= precision ? decimalType(precision, scale) : undefined;
}

/** Whether the JS runtime knows the zone (the same IANA database every engine ships). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const zonedDateTime = (zone: string): ColumnType => `datetime(${zone})`;

export const isDecimal = (type: ColumnType): boolean => type.startsWith('decimal(');
export const isNumeric = (type: ColumnType): boolean =>
  type === 'int64' || type === 'float64' || isDecimal(type);
/** `datetime` or `datetime(zone)`. */
export const isDateTime = (type: ColumnType): boolean => type === 'datetime' || type.startsWith('datetime(');
/** The zone of a `datetime(zone)`, else undefined. */
export const timeZoneOf = (type: ColumnType): string | undefined =>
  type.startsWith('datetime(') ? type.slice('datetime('.length, -1) : undefined;
export const isTemporal = (type: ColumnType): boolean => isDateTime(type) || type === 'date';

/** Types that can meet in a comparison, a join key, IF branches or a union column. */
export function comparable(a: ColumnType, b: ColumnType): boolean {
  return a === b || (isNumeric(a) && isNumeric(b)) || (isTemporal(a) && isTemporal(b));
}

/** The type two numeric operands widen to; decimals mixed with anything else become float64 (see ARCHITECTURE.md). */
function widenNumeric(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) return a;
  if (a === 'int64' && b === 'int64') return 'int64';
  return 'float64';
}

/**
 * The common type of IF branches, COALESCE arguments and union columns, or undefined when they cannot meet. Dates and
 * datetimes meet as datetimes; a zone survives when every zoned side has the same one, and differing zones meet in
 * UTC (the instants are the same whatever zone shows them).
 */
export function commonType(a: ColumnType, b: ColumnType): ColumnType | undefined {
  if (a === b) return a;
  if (isNumeric(a) && isNumeric(b)) return widenNumeric(a, b);
  if (isTemporal(a) && isTemporal(b)) {
    const [za, zb] = [timeZoneOf(a), timeZoneOf(b)];
    if (za === undefined && zb === undefined) return 'datetime';
    return zonedDateTime(za === undefined || zb === undefined || za === zb ? (za ?? zb)! : 'UTC');
  }
  return undefined;
}

export interface NormalizedType {
  type: ColumnType;
  nullable: boolean;
}

const WRAPPERS = /^(Nullable|LowCardinality|SimpleAggregateFunction\([^,]+,)\s*\(?(.*)\)$/i;

/**
 * Maps an engine's type name (ClickHouse `Nullable(Decimal(18,4))`, Postgres `numeric(12,2)` / `timestamp without time
 * zone`, DuckDB `DECIMAL(18,4)` / `TIMESTAMP_NS`…) to a normalized type. Unknown types become `string`: the catalog
 * stays usable and the compiler never does arithmetic on them.
 */
export function normalizeType(engineType: string): NormalizedType {
  let text = engineType.trim();
  let nullable = false;
  for (let m = WRAPPERS.exec(text); m; m = WRAPPERS.exec(text)) {
    if (m[1]!.toLowerCase() === 'nullable') nullable = true;
    text = m[2]!.trim();
  }
  return { type: baseType(text), nullable };
}

function baseType(text: string): ColumnType {
  const lower = text.toLowerCase();
  // ClickHouse DateTime('zone') / DateTime64(p, 'zone'): the zone is part of the type (quotes may come escaped).
  const clickhouseZone = /^datetime(?:64)?\s*\((?:\s*\d+\s*,)?\s*\\?'([^'\\]+)\\?'\s*\)$/i.exec(text);
  if (clickhouseZone) {
    const zoned = parseColumnType(zonedDateTime(clickhouseZone[1]!));
    if (zoned) return zoned;
  }
  // PostgreSQL timestamptz / timestamp(3) with time zone, DuckDB TIMESTAMPTZ / TIMESTAMP WITH TIME ZONE: instants.
  if (/^(timestamptz|timestamp\s*(\(\d+\))?\s*with time zone)(\s*\(\d+\))?$/.test(lower))
    return zonedDateTime('UTC');
  const decimal = /^(?:decimal|numeric)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/.exec(lower);
  if (decimal) return decimalType(Number(decimal[1]), Number(decimal[2] ?? 0));
  const fixedDecimal = /^decimal(32|64|128|256)\s*\(\s*(\d+)\s*\)$/.exec(lower);
  if (fixedDecimal) return decimalType(DECIMAL_BITS_PRECISION[fixedDecimal[1]!]!, Number(fixedDecimal[2]));
  if (lower === 'numeric' || lower === 'decimal') return decimalType(38, 10);
  if (
    /^(u?int(8|16|32|64|128|256)?|tinyint|smallint|integer|bigint|hugeint|ubigint|uinteger|usmallint|utinyint|uhugeint|int2|int4|int8|serial|bigserial|smallserial)$/.test(
      lower,
    )
  )
    return 'int64';
  if (/^(float(32|64|4|8)?|double( precision)?|real|bfloat16)$/.test(lower)) return 'float64';
  if (/^(bool|boolean)$/.test(lower)) return 'boolean';
  if (/^(date|date32)$/.test(lower)) return 'date';
  if (/^(datetime|timestamp)/.test(lower)) return 'datetime';
  return 'string';
}

const DECIMAL_BITS_PRECISION: Record<string, number> = { '32': 9, '64': 18, '128': 38, '256': 76 };
