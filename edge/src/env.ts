import type { MetadataStore } from './ports/metadata-store.ts';

export type Role = 'viewer' | 'analyst' | 'admin';

/** Who is calling, after authentication. `tenantId` comes from the token, never from a request body. */
export interface Principal {
  sub: string;
  tenantId: string;
  email: string;
  roles: Role[];
}

/** Hono's type parameter for every handler of this app. */
export type AppEnv = {
  Variables: {
    principal: Principal;
    metadata: MetadataStore;
  };
};
