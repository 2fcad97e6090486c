import { z } from 'zod';
import type { AppDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { generateApiKey, hashApiKey } from '../embed/keys.ts';
import type { ApiKey } from '../ports/metadata-store.ts';
import { param, type Route } from './define.ts';
import { recordChange } from './side-effects.ts';

const origin = z
  .string()
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'expected an origin such as https://app.example.com')
  .max(255);

export const createKeyBody = z.object({
  name: z.string().trim().min(1).max(255),
  /** The widgets this key (and every token minted from it) may read. */
  widget_ids: z.array(z.uuid()).min(1).max(200),
  /** Sites allowed to frame the embedded widgets (CSP frame-ancestors); none = no framing. */
  allowed_origins: z.array(origin).max(50).default([]),
  expires_at: z.iso.datetime({ offset: true }).nullable().default(null),
});

export const keyOut = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scoped_widget_ids: z.array(z.string()),
  allowed_origins: z.array(z.string()),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
  created_by: z.string(),
  created_at: z.string(),
});
export const createdKeyOut = keyOut.extend({
  key: z.string().describe('The secret, shown once: store it in your backend'),
});

const toOut = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scoped_widget_ids: k.scopedWidgetIds,
  allowed_origins: k.allowedOrigins,
  expires_at: k.expiresAt,
  revoked_at: k.revokedAt,
  last_used_at: k.lastUsedAt,
  created_by: k.createdBy,
  created_at: k.createdAt,
});

const base = { tag: 'api keys', auth: 'bearer' as const, role: 'admin' as const };

export function apiKeyRoutes(route: Route, deps: AppDeps): void {
  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/api-keys',
      summary: 'List API keys (prefix only, never the secret)',
      response: { status: 200, description: 'Keys', schema: z.object({ api_keys: z.array(keyOut) }) },
    },
    async (c) =>
      c.json({ api_keys: (await c.get('metadata').listApiKeys(c.get('principal').tenantId)).map(toOut) }),
  );

  route(
    {
      ...base,
      method: 'post',
      path: '/api/v1/api-keys',
      summary: 'Create an API key; the `ff_live_…` secret is in this response only',
      body: createKeyBody,
      response: { status: 201, description: 'Created', schema: createdKeyOut },
    },
    async (c, { body }) => {
      const tenant = c.get('principal').tenantId;
      const widgets = await Promise.all(body.widget_ids.map((id) => c.get('metadata').getWidget(tenant, id)));
      const missing = body.widget_ids.filter((_, i) => !widgets[i]);
      if (missing.length)
        throw new ApiError(400, 'invalid_reference', `Widgets not found: ${missing.join(', ')}`);
      if (body.expires_at && Date.parse(body.expires_at) <= Date.now()) {
        throw new ApiError(422, 'validation_failed', 'expires_at is in the past');
      }
      const { key, prefix } = generateApiKey();
      const created = await c.get('metadata').createApiKey(tenant, c.get('principal').sub, {
        name: body.name,
        keyHash: await hashApiKey(key),
        prefix,
        scopedWidgetIds: [...new Set(body.widget_ids)],
        allowedOrigins: body.allowed_origins,
        expiresAt: body.expires_at,
      });
      await recordChange(c, deps, {
        action: 'api_key.created',
        targetType: 'api_key',
        targetId: created.id,
        details: { prefix },
      });
      return c.json({ ...toOut(created), key }, 201);
    },
  );

  route(
    {
      ...base,
      method: 'get',
      path: '/api/v1/api-keys/:id',
      summary: 'Get an API key (prefix only)',
      response: { status: 200, description: 'Key', schema: keyOut },
    },
    async (c) => {
      const key = (await c.get('metadata').listApiKeys(c.get('principal').tenantId)).find(
        (k) => k.id === param(c, 'id'),
      );
      if (!key) throw notFound('API key');
      return c.json(toOut(key));
    },
  );

  route(
    {
      ...base,
      method: 'delete',
      path: '/api/v1/api-keys/:id',
      summary: 'Revoke an API key (its embed tokens stop working at once)',
      response: { status: 204, description: 'Revoked' },
    },
    async (c) => {
      const id = param(c, 'id');
      if (!(await c.get('metadata').revokeApiKey(c.get('principal').tenantId, id))) throw notFound('API key');
      await recordChange(c, deps, { action: 'api_key.revoked', targetType: 'api_key', targetId: id });
      return c.body(null, 204);
    },
  );
}
