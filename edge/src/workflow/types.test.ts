import { describe, expect, it } from 'vitest';
import { normalizeType } from './index.ts';
import { commonType, parseColumnType } from './types.ts';

describe('normalizeType', () => {
  it.each([
    // ClickHouse
    ['String', 'string', false],
    ['LowCardinality(String)', 'string', false],
    ['Nullable(String)', 'string', true],
    ['LowCardinality(Nullable(String))', 'string', true],
    ["Enum8('BUY' = 1, 'SELL' = 2)", 'string', false],
    ['FixedString(3)', 'string', false],
    ['UUID', 'string', false],
    ['UInt32', 'int64', false],
    ['Int8', 'int64', false],
    ['Nullable(UInt64)', 'int64', true],
    ['Float32', 'float64', false],
    ['Float64', 'float64', false],
    ['Decimal(18,4)', 'decimal(18,4)', false],
    ['Decimal(18, 6)', 'decimal(18,6)', false],
    ['Nullable(Decimal(8,2))', 'decimal(8,2)', true],
    ['Decimal64(4)', 'decimal(18,4)', false],
    ['Decimal128(10)', 'decimal(38,10)', false],
    ['DateTime', 'datetime', false],
    ["DateTime64(3, 'UTC')", 'datetime(UTC)', false],
    ["Nullable(DateTime64(3, 'America/New_York'))", 'datetime(America/New_York)', true],
    ["DateTime('Asia/Tokyo')", 'datetime(Asia/Tokyo)', false],
    ["DateTime64(3, \\'Europe/Paris\\')", 'datetime(Europe/Paris)', false],
    ["DateTime('Not/AZone')", 'datetime', false],
    ['DateTime64(3)', 'datetime', false],
    ['Date', 'date', false],
    ['Date32', 'date', false],
    ['Bool', 'boolean', false],
    ['Array(String)', 'string', false],
    // PostgreSQL / Materialize
    ['text', 'string', false],
    ['character varying', 'string', false],
    ['character varying(255)', 'string', false],
    ['integer', 'int64', false],
    ['bigint', 'int64', false],
    ['smallint', 'int64', false],
    ['double precision', 'float64', false],
    ['real', 'float64', false],
    ['numeric', 'decimal(38,10)', false],
    ['numeric(12,2)', 'decimal(12,2)', false],
    ['timestamp without time zone', 'datetime', false],
    ['timestamp with time zone', 'datetime(UTC)', false],
    ['timestamptz', 'datetime(UTC)', false],
    ['timestamp(3) with time zone', 'datetime(UTC)', false],
    ['timestamp(3) without time zone', 'datetime', false],
    ['date', 'date', false],
    ['boolean', 'boolean', false],
    ['jsonb', 'string', false],
    // DuckDB
    ['VARCHAR', 'string', false],
    ['BIGINT', 'int64', false],
    ['HUGEINT', 'int64', false],
    ['UBIGINT', 'int64', false],
    ['DOUBLE', 'float64', false],
    ['FLOAT', 'float64', false],
    ['DECIMAL(18,4)', 'decimal(18,4)', false],
    ['TIMESTAMP', 'datetime', false],
    ['TIMESTAMP_NS', 'datetime', false],
    ['TIMESTAMP WITH TIME ZONE', 'datetime(UTC)', false],
    ['DATE', 'date', false],
    ['BOOLEAN', 'boolean', false],
  ])('%s → %s', (engineType, type, nullable) => {
    expect(normalizeType(engineType)).toEqual({ type, nullable });
  });
});

describe('datetime(zone)', () => {
  it('accepts IANA zones and refuses anything else (the zone is printed inside SQL literals)', () => {
    expect(parseColumnType('datetime(UTC)')).toBe('datetime(UTC)');
    expect(parseColumnType('datetime(America/New_York)')).toBe('datetime(America/New_York)');
    for (const bad of [
      "datetime(x'y)",
      'datetime(Nowhere/Town)',
      'datetime()',
      'datetime(UTC',
      'datetime( UTC)',
    ])
      expect(parseColumnType(bad)).toBeUndefined();
  });

  it.each([
    ['datetime', 'datetime(UTC)', 'datetime(UTC)'],
    ['date', 'datetime(Asia/Tokyo)', 'datetime(Asia/Tokyo)'],
    ['datetime(Asia/Tokyo)', 'datetime(Asia/Tokyo)', 'datetime(Asia/Tokyo)'],
    ['datetime(Asia/Tokyo)', 'datetime(America/New_York)', 'datetime(UTC)'],
    ['date', 'datetime', 'datetime'],
  ] as const)('%s meets %s as %s', (a, b, common) => {
    expect(commonType(a, b)).toBe(common);
    expect(commonType(b, a)).toBe(common);
  });
});
