/**
 * The formula language's function reference: what the canvas shows next to the expression editor and what "did you
 * mean" suggests from. Semantics are the same on every dialect and in the test oracle (ARCHITECTURE.md, "Formulas").
 */
export interface FormulaFunction {
  name: string;
  signature: string;
  description: string;
  example: string;
}

export const FORMULA_FUNCTIONS: readonly FormulaFunction[] = [
  {
    name: 'IF',
    signature: 'IF(condition, then, else)',
    description: 'then when condition is true, else otherwise (also when NULL)',
    example: "IF([side] = 'BUY', [quantity], -[quantity])",
  },
  {
    name: 'COALESCE',
    signature: 'COALESCE(a, b, …)',
    description: 'the first argument that is not NULL',
    example: 'COALESCE([fee], 0)',
  },
  {
    name: 'ISNULL',
    signature: 'ISNULL(x)',
    description: 'true when x is NULL (same as x IS NULL)',
    example: 'ISNULL([venue])',
  },
  {
    name: 'ROUND',
    signature: 'ROUND(number[, digits])',
    description: 'rounded half away from zero to 0–12 digits (float64; int64 stays)',
    example: 'ROUND([price], 2)',
  },
  { name: 'ABS', signature: 'ABS(number)', description: 'absolute value', example: 'ABS([price] - 250)' },
  {
    name: 'SQRT',
    signature: 'SQRT(number)',
    description: 'square root (float64); NULL for negative numbers',
    example: 'SQRT([quantity])',
  },
  {
    name: 'LN',
    signature: 'LN(number)',
    description: 'natural logarithm (float64); NULL for zero and negative numbers',
    example: 'LN([price])',
  },
  {
    name: 'EXP',
    signature: 'EXP(number)',
    description: 'e raised to the number (float64)',
    example: 'EXP(0.05 * [years])',
  },
  {
    name: 'POWER',
    signature: 'POWER(base, exponent)',
    description:
      'base raised to exponent (float64); NULL for a negative base with a fractional exponent or zero to a negative power',
    example: 'POWER(1.05, 10)',
  },
  {
    name: 'GREATEST',
    signature: 'GREATEST(a, b, …)',
    description: 'the largest argument, ignoring NULLs (NULL when all are)',
    example: 'GREATEST([bid], [ask])',
  },
  {
    name: 'LEAST',
    signature: 'LEAST(a, b, …)',
    description: 'the smallest argument, ignoring NULLs (NULL when all are)',
    example: 'LEAST([bid], [ask])',
  },
  { name: 'LOWER', signature: 'LOWER(text)', description: 'lower case', example: 'LOWER([symbol])' },
  { name: 'UPPER', signature: 'UPPER(text)', description: 'upper case', example: 'UPPER([side])' },
  {
    name: 'LENGTH',
    signature: 'LENGTH(text)',
    description: 'number of characters (code points)',
    example: 'LENGTH([note])',
  },
  {
    name: 'CONCAT',
    signature: 'CONCAT(text, …)',
    description: 'the texts joined; NULL parts count as empty',
    example: "CONCAT([symbol], '@', [venue])",
  },
  {
    name: 'SUBSTRING',
    signature: 'SUBSTRING(text, start[, length])',
    description: 'characters from start (1-based integer literal), at most length of them',
    example: 'SUBSTRING([symbol], 1, 3)',
  },
  {
    name: 'REPLACE',
    signature: "REPLACE(text, 'from', 'to')",
    description: 'every occurrence of from (a non-empty text literal) replaced by to',
    example: "REPLACE([note], ' ', '_')",
  },
  {
    name: 'REGEXP_MATCH',
    signature: "REGEXP_MATCH(text, 'pattern')",
    description:
      'true when the pattern (a literal: characters, . [] () | * + ? {m,n} ^ $ and escaped punctuation) matches part of the text; . matches newlines too',
    example: "REGEXP_MATCH([symbol], '^[A-Z]{3,4}$')",
  },
  {
    name: 'YEAR',
    signature: 'YEAR(time)',
    description: 'calendar year (UTC)',
    example: 'YEAR([event_time])',
  },
  {
    name: 'MONTH',
    signature: 'MONTH(time)',
    description: 'month 1–12 (UTC)',
    example: 'MONTH([event_time])',
  },
  {
    name: 'DAY',
    signature: 'DAY(time)',
    description: 'day of the month 1–31 (UTC)',
    example: 'DAY([event_time])',
  },
  {
    name: 'HOUR',
    signature: 'HOUR(time)',
    description: 'hour 0–23 (UTC; 0 for a date)',
    example: 'HOUR([event_time])',
  },
  {
    name: 'DATE_TRUNC',
    signature: "DATE_TRUNC('unit', time)",
    description: 'start of the second, minute, hour, day, week (Monday), month, quarter or year (UTC)',
    example: "DATE_TRUNC('hour', [event_time])",
  },
  {
    name: 'DATE_DIFF',
    signature: "DATE_DIFF('unit', start, end)",
    description:
      'whole seconds, minutes, hours, days or weeks from start to end, truncated toward zero (int64)',
    example: "DATE_DIFF('minute', [opened], [closed])",
  },
  {
    name: 'NOW',
    signature: 'NOW()',
    description: 'the current time (UTC, when the query runs)',
    example: "DATE_DIFF('day', [event_time], NOW())",
  },
];

/** Operators and keywords, listed with the functions in the canvas. */
export const FORMULA_OPERATORS =
  '+ - * / % (NULL for a zero divisor), = != < <= > >=, AND OR NOT, x IS NULL, x IS NOT NULL';
