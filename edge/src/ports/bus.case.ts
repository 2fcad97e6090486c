import { describe, expect, it } from 'vitest';
import type { Bus } from './bus.ts';

/** `subscribe` observes the backend from the outside (a real subscriber), resolving with the first message. */
export type Observe = (
  channel: string,
) => Promise<{ ready: Promise<void>; next: Promise<string>; close(): void }>;

export function busContract(name: string, make: () => Bus, observe: Observe): void {
  describe(`Bus contract: ${name}`, () => {
    it('delivers a published message to a subscriber and counts it', async () => {
      const bus = make();
      const channel = `flowforge:edge-test:${crypto.randomUUID()}`;
      const sub = await observe(channel);
      await sub.ready;
      try {
        expect(await bus.publish(channel, '{"type":"workflow.updated"}')).toBe(1);
        expect(await sub.next).toBe('{"type":"workflow.updated"}');
      } finally {
        sub.close();
      }
    });

    it('publishing to a channel nobody listens to reaches 0 subscribers', async () => {
      expect(await make().publish(`flowforge:edge-test:${crypto.randomUUID()}`, 'x')).toBe(0);
    });

    it('pings', async () => {
      await expect(make().ping()).resolves.toBeUndefined();
    });
  });
}
