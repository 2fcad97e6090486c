import { Pool, neon, neonConfig } from '@neondatabase/serverless';
import type { SqlClient } from '../postgres/sql-client.ts';

type Queryable = {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  query(config: { text: string; values?: unknown[]; rowMode: 'array' }): Promise<{
    rows: unknown[][];
    fields: { name: string; dataTypeID: number }[];
  }>;
};

export interface NeonOptions {
  connectionString: string;
  /** `host:port` of a local WebSocket→TCP proxy; the driver then talks plain ws and skips Neon's TLS pipelining. */
  wsProxy?: string;
  /** Node has no global WebSocket on 20: pass `ws`. */
  webSocketConstructor?: unknown;
}

// neonConfig is module-global in the driver; every pool in this process shares one proxy setting.
function configure(opts: NeonOptions): void {
  if (opts.webSocketConstructor)
    neonConfig.webSocketConstructor = opts.webSocketConstructor as typeof WebSocket;
  if (opts.wsProxy) {
    const proxy = opts.wsProxy;
    neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
}

function client(q: Queryable, tx: SqlClient['transaction']): SqlClient {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await q.query(text, params)).rows as T[];
    },
    async queryArrays(text, params) {
      const { fields, rows } = await q.query({ text, values: params ?? [], rowMode: 'array' });
      return { fields: fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })), rows };
    },
    async exec(sql) {
      await q.query(sql);
    },
    transaction: tx,
  };
}

export interface NeonHandle {
  sql: SqlClient;
  end(): Promise<void>;
}

/**
 * A pool over the Neon driver. On Workers a WebSocket cannot outlive its request, so the Worker entry opens one per
 * request and ends it in `waitUntil`; on Node one pool lives as long as the process.
 */
export function openNeon(opts: NeonOptions): NeonHandle {
  configure(opts);
  // A database that does not answer must become a 503 within seconds, not a request hanging until the client gives up.
  const pool = new Pool({ connectionString: opts.connectionString, max: 5, connectionTimeoutMillis: 5_000 });
  // An idle client dropped by the server must not crash the process.
  pool.on('error', () => {});
  const transaction = async <T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> => {
    const conn = await pool.connect();
    const tx = client(conn, () => {
      throw new Error('nested transactions are not supported');
    });
    try {
      await conn.query('BEGIN');
      const out = await fn(tx);
      await conn.query('COMMIT');
      return out;
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      conn.release();
    }
  };
  return { sql: client(pool, transaction), end: () => pool.end() };
}

/**
 * Neon's SQL over HTTP (the driver's `neon()` query function): every query is one `fetch`, so nothing is opened per
 * request and a Worker isolate reuses the runtime's connections across requests — a WebSocket pool cannot outlive its
 * request there. One-shot queries only: transactions and multi-statement scripts need a pool (`openNeon`).
 */
export function neonHttp(opts: {
  connectionString: string;
  /** Neon's endpoint by default; the local stack's proxy serves `http://<proxy>/sql`. */
  fetchEndpoint?: string | undefined;
}): Pick<SqlClient, 'query' | 'queryArrays'> {
  // Module-global in the driver like the proxy settings: one endpoint per isolate.
  if (opts.fetchEndpoint) neonConfig.fetchEndpoint = opts.fetchEndpoint;
  const sql = neon(opts.connectionString);
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await sql.query(text, params ?? [])) as T[];
    },
    async queryArrays(text, params) {
      const { fields, rows } = await sql.query(text, params ?? [], { arrayMode: true, fullResults: true });
      return {
        fields: fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
        rows: rows as unknown[][],
      };
    },
  };
}
