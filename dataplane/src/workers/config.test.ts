import { describe, expect, it } from 'vitest';
import { workerConfig } from './config.ts';

describe('workerConfig', () => {
  it('leaves the group members per role to the partition count unless WORKER_GROUP_MEMBERS says', () => {
    expect(workerConfig({}).groupMembers).toBeUndefined();
    expect(workerConfig({ WORKER_GROUP_MEMBERS: '6' }).groupMembers).toBe(6);
    expect(() => workerConfig({ WORKER_GROUP_MEMBERS: '0' })).toThrow(
      'WORKER_GROUP_MEMBERS must be a positive integer, got "0"',
    );
  });
});
