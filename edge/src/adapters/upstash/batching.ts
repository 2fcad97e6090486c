import type { Requester, UpstashRequest, UpstashResponse } from '@upstash/redis';
import { afterThisMacrotask } from '../../macrotask.ts';

type Entry = UpstashResponse<unknown>;

interface Waiting {
  /** The commands this request carries: one, or a pipeline's list. */
  commands: unknown[];
  pipeline: boolean;
  resolve: (response: Entry | Entry[]) => void;
  reject: (err: unknown) => void;
}

/** A plain command or a pipeline, with nothing of its own (headers, a signal, a stream) that one request could not share. */
function batchable(req: UpstashRequest): boolean {
  const path = req.path ?? [];
  const plain = path.length === 0 || (path.length === 1 && path[0] === 'pipeline');
  return plain && !req.headers && !req.signal && !req.isStreaming && !req.onMessage;
}

/**
 * Every command sent through `inner` in one macrotask goes out as ONE `/pipeline` request. `@upstash/redis` already
 * auto-pipelines, but reads and writes separately: a preview's rate-limit count (EVALSHA, a write) and its cache read
 * (MGET) were two HTTP requests, and on a loaded machine each request's writes to the loopback socket cost about as
 * much as the round trip. Each caller still gets its own answer: its command's `{result | error}` (the client throws on
 * the error), or its pipeline's slice. A request that fails fails every caller of the batch, as it would have alone.
 */
export function batchingRequester(inner: Requester): Requester {
  let waiting: Waiting[] = [];

  function flush(): void {
    const batch = waiting;
    waiting = [];
    inner
      .request<unknown>({ path: ['pipeline'], body: batch.flatMap((w) => w.commands) })
      .then((response) => {
        const entries = response as unknown as Entry[];
        let at = 0;
        for (const w of batch) {
          const mine = entries.slice(at, at + w.commands.length);
          at += w.commands.length;
          w.resolve(w.pipeline ? mine : mine[0]!);
        }
      })
      .catch((err: unknown) => batch.forEach((w) => w.reject(err)));
  }

  return {
    get readYourWrites() {
      return inner.readYourWrites;
    },
    get upstashSyncToken() {
      return inner.upstashSyncToken;
    },
    request<TResult>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
      if (!batchable(req)) return inner.request<TResult>(req);
      const pipeline = req.path?.[0] === 'pipeline';
      return new Promise<Entry | Entry[]>((resolve, reject) => {
        // Every command issued by this macrotask's callbacks and microtasks goes in the same batch.
        if (waiting.length === 0) afterThisMacrotask(flush);
        waiting.push({
          commands: pipeline ? (req.body as unknown[]) : [req.body],
          pipeline,
          resolve,
          reject,
        });
      }) as Promise<UpstashResponse<TResult>>;
    },
  };
}
