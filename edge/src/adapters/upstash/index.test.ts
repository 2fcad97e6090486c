import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { busContract } from '../../ports/bus.case.ts';
import { cacheContract } from '../../ports/cache.case.ts';
import { stackEnv } from '../../test-support/stack.ts';
import { UpstashBus, UpstashCache, upstashClient } from './index.ts';
import { nodeRequester } from './node-requester.ts';

const redis = upstashClient({
  url: stackEnv.UPSTASH_REDIS_REST_URL,
  token: stackEnv.UPSTASH_REDIS_REST_TOKEN,
});
cacheContract('upstash (stack REST server → Redis)', () => new UpstashCache(redis));
// The Node entry's transport: node:http instead of fetch, plain JSON text instead of base64.
const overNodeHttp = upstashClient(
  { url: stackEnv.UPSTASH_REDIS_REST_URL, token: stackEnv.UPSTASH_REDIS_REST_TOKEN },
  nodeRequester,
);
cacheContract('upstash over node:http (stack REST server → Redis)', () => new UpstashCache(overNodeHttp));

/** A real Redis subscriber over RESP, so the bus is observed at the Redis itself rather than through our client. */
busContract(
  'upstash (stack REST server → Redis)',
  () => new UpstashBus(redis),
  async (channel) => {
    const socket = connect(stackEnv.REDIS_PORT, '127.0.0.1');
    let buffer = '';
    let onReady = () => {};
    let onMessage = (_m: string) => {};
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    const next = new Promise<string>((resolve) => (onMessage = resolve));
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      if (buffer.includes('subscribe')) onReady();
      // *3 $7 message $<n> channel $<n> payload
      const m = /\$7\r\nmessage\r\n\$\d+\r\n[^\r]*\r\n\$\d+\r\n([^\r]*)\r\n/.exec(buffer);
      if (m) onMessage(m[1]!);
    });
    socket.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$${Buffer.byteLength(channel)}\r\n${channel}\r\n`);
    return { ready, next, close: () => socket.destroy() };
  },
);

describe('upstash cache when the server is down', () => {
  it('fails fast instead of retrying', async () => {
    const down = new UpstashCache(upstashClient({ url: 'http://127.0.0.1:1', token: 'x' }));
    const started = Date.now();
    await expect(down.get('k')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
