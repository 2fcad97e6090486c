import { z } from 'zod';
import type { Role } from '../env.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteDoc {
  method: Method;
  /** Hono path, e.g. `/api/v1/workflows/:id`. */
  path: string;
  summary: string;
  tag: string;
  auth: 'bearer' | 'api-key' | 'embed' | 'none';
  /** Minimum role for bearer routes (viewer < analyst < admin); published as `x-required-role`. */
  role?: Role;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Success status and body; an absent schema documents a non-JSON or empty body. */
  response: { status: number; description: string; schema?: z.ZodType; contentType?: string };
}

const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});

const toJsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** Every route registers its doc here as it is defined, so the spec is generated from the very schemas that validate. */
export class ApiSpec {
  readonly routes: RouteDoc[] = [];

  add(doc: RouteDoc): void {
    this.routes.push(doc);
  }

  /** `development` adds what only APP_ENV=development accepts (the X-Dev-Tenant scheme); production never lists it. */
  document(options: { development: boolean }): Record<string, unknown> {
    const bearer = options.development ? [{ bearer: [] }, { devTenant: [] }] : [{ bearer: [] }];
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of this.routes) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const queryParams = r.query
        ? Object.entries(r.query.shape).map(([name, s]) => ({
            name,
            in: 'query',
            required: !(s as z.ZodType).safeParse(undefined).success,
            schema: toJsonSchema(s as z.ZodType),
          }))
        : [];
      const security =
        r.auth === 'bearer'
          ? bearer
          : r.auth === 'api-key'
            ? [{ apiKey: [] }]
            : r.auth === 'embed'
              ? [{ embedToken: [] }, { apiKey: [] }]
              : [];
      paths[path] ??= {};
      paths[path][r.method] = {
        summary: r.summary,
        tags: [r.tag],
        security,
        ...(r.role ? { 'x-required-role': r.role } : {}),
        parameters: [...params, ...queryParams],
        ...(r.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: toJsonSchema(r.body) } },
              },
            }
          : {}),
        responses: {
          [r.response.status]: {
            description: r.response.description,
            ...(r.response.schema
              ? {
                  content: {
                    [r.response.contentType ?? 'application/json']: {
                      schema: toJsonSchema(r.response.schema),
                    },
                  },
                }
              : r.response.contentType
                ? { content: { [r.response.contentType]: { schema: { type: 'string' } } } }
                : {}),
          },
          default: {
            description: 'Error',
            content: { 'application/json': { schema: toJsonSchema(errorSchema) } },
          },
        },
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: 'FlowForge API', version: '1.0.0' },
      paths,
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          ...(options.development
            ? {
                devTenant: {
                  type: 'apiKey',
                  in: 'header',
                  name: 'X-Dev-Tenant',
                  description: "APP_ENV=development only, from a loopback Host and the app's own pages",
                },
              }
            : {}),
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          embedToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'Embed token from POST /api/v1/embed/tokens',
          },
        },
      },
    };
  }
}
