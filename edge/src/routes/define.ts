import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { requireRole } from '../middleware/auth/index.ts';
import type { ApiSpec, RouteDoc } from '../openapi/index.ts';
import { checkParameters, readJsonBody } from './json-input.ts';

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteDef<B extends z.ZodType | undefined, Q extends z.ZodObject | undefined> extends Omit<
  RouteDoc,
  'body' | 'query'
> {
  body?: B;
  query?: Q;
  /**
   * The handler only reads until it calls `c.get('admission')()` (the query routes: body, key, cache read): the user's
   * rate limit is then counted beside the cache read instead of before everything. See `rateLimit`.
   */
  limitBeside?: boolean;
}

/** Middleware each kind of auth implies; built once in createApp. */
export type Guards = Record<RouteDoc['auth'], MiddlewareHandler<AppEnv>[]>;

export type Handler<B, Q> = (
  c: Context<AppEnv>,
  input: { body: Infer<B>; query: Infer<Q> },
) => Response | Promise<Response>;

/** A path parameter; routes only read names their own path declares, so it is always present. */
export const param = (c: Context<AppEnv>, name: string): string => c.req.param(name) ?? '';

export const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

const markLimitBeside: MiddlewareHandler<AppEnv> = async function markLimitBeside(c, next) {
  c.set('limitBeside', true);
  return next();
};

/**
 * Registers a route on the app and its document on the spec in one call, so the OpenAPI output can never drift from
 * the zod schemas that validate requests.
 */
export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
>(app: Hono<AppEnv>, spec: ApiSpec, guards: Guards, def: RouteDef<B, Q>, handler: Handler<B, Q>): void {
  spec.add(def as RouteDoc);
  const chain: MiddlewareHandler<AppEnv>[] = [...guards[def.auth]];
  if (def.limitBeside) chain.unshift(markLimitBeside);
  if (def.role) chain.push(requireRole(def.role));
  const handlers: MiddlewareHandler<AppEnv>[] = [...chain];
  app.on(def.method.toUpperCase(), [def.path], ...handlers, async (c: Context<AppEnv>) => {
    checkParameters('path', c.req.param());
    checkParameters('query', c.req.queries());
    let body: unknown;
    if (def.body) {
      const schema = def.body;
      const parsed = await c
        .get('timings')
        .measure('body', async () => schema.safeParse(await readJsonBody(c.req.raw)));
      if (!parsed.success)
        throw new ApiError(422, 'validation_failed', 'Request body is invalid', issuesOf(parsed.error));
      body = parsed.data;
    }
    let query: unknown;
    if (def.query) {
      const parsed = def.query.safeParse(c.req.query());
      if (!parsed.success)
        throw new ApiError(400, 'invalid_query', 'Query parameters are invalid', issuesOf(parsed.error));
      query = parsed.data;
    }
    return handler(c, { body: body as Infer<B>, query: query as Infer<Q> });
  });
}

/** `defineRoute` bound to one app, spec and guard set: what each route module receives. */
export type Route = <
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
>(
  def: RouteDef<B, Q>,
  handler: Handler<B, Q>,
) => void;

export const bindRoute =
  (app: Hono<AppEnv>, spec: ApiSpec, guards: Guards): Route =>
  (def, handler) =>
    defineRoute(app, spec, guards, def, handler);
