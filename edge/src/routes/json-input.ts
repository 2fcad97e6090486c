import { ApiError } from '../errors.ts';

/**
 * Input limits for every JSON body, query string and path parameter, checked before zod sees them. PostgreSQL refuses
 * NUL and lone surrogates (a 500 deep in a store otherwise), and recursive code further on (canonical JSON, the stores'
 * serialisers) must never meet nesting deep enough to overflow the stack.
 */
export const INPUT_LIMITS = {
  /** Objects and arrays nested deeper than this are refused. */
  maxDepth: 64,
  /** Characters per string (keys included). */
  maxStringChars: 100_000,
  /** Items per array. */
  maxArrayItems: 10_000,
} as const;

// eslint-disable-next-line no-control-regex -- the NUL character is exactly what this looks for
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with one string, or undefined. */
export function textProblem(text: string): string | undefined {
  if (text.length > INPUT_LIMITS.maxStringChars)
    return `is longer than ${INPUT_LIMITS.maxStringChars} characters`;
  if (NUL.test(text)) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode text)';
  return undefined;
}

interface Visit {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Visit | undefined;
}

const pathOf = (visit: Visit): string => {
  const keys: (string | number)[] = [];
  for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) keys.unshift(v.key);
  return keys.join('.');
};

/** The first problem in a parsed JSON value, walked without recursion: `{path, message}` naming the field. */
export function jsonProblem(value: unknown): { path: string; message: string } | undefined {
  const stack: Visit[] = [{ value, depth: 0, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value: v, depth } = visit;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path: pathOf(visit), message: `Text ${problem}` };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= INPUT_LIMITS.maxDepth)
      return { path: pathOf(visit), message: `Nested deeper than ${INPUT_LIMITS.maxDepth} levels` };
    if (Array.isArray(v)) {
      if (v.length > INPUT_LIMITS.maxArrayItems)
        return { path: pathOf(visit), message: `Array has more than ${INPUT_LIMITS.maxArrayItems} items` };
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], depth: depth + 1, key: i, parent: visit });
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      const child: Visit = { value: item, depth: depth + 1, key, parent: visit };
      const problem = textProblem(key);
      if (problem) return { path: pathOf(child), message: `Key ${problem}` };
      stack.push(child);
    }
  }
  return undefined;
}

const refuse = (where: string, problem: { path: string; message: string }) =>
  new ApiError(
    422,
    'invalid_input',
    `${where}${problem.path ? ` field "${problem.path}"` : ''}: ${problem.message}`,
    [problem],
  );

/** Media types a body may be sent as; anything else would let a cross-site form or text/plain post reach a route. */
const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/** The JSON body of a request, refused unless it is `application/json`, parses, and stays within INPUT_LIMITS. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!JSON_MEDIA_TYPE.test(type))
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Send the request body as Content-Type: application/json${type ? `, not ${type}` : ''}`,
    );
  const text = await request.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'malformed_json', `Request body is not valid JSON: ${(err as Error).message}`);
  }
  const problem = jsonProblem(value);
  if (problem) throw refuse('Request body', problem);
  return value;
}

/** Query parameters and path parameters obey the same text rules as body strings. */
export function checkParameters(kind: 'query' | 'path', params: Record<string, string | string[]>): void {
  for (const [name, values] of Object.entries(params)) {
    for (const text of [values].flat()) {
      const problem = textProblem(text);
      if (problem)
        throw refuse(kind === 'query' ? 'Query parameter' : 'Path parameter', {
          path: name,
          message: `Text ${problem}`,
        });
    }
  }
}
