import { busContract } from '../../ports/bus.case.ts';
import { cacheContract } from '../../ports/cache.case.ts';
import { MemoryBus, MemoryCache } from './index.ts';

const cache = new MemoryCache();
cacheContract('memory', () => cache);

const bus = new MemoryBus();
busContract(
  'memory',
  () => bus,
  async (channel) => {
    let unsubscribe = () => {};
    const next = new Promise<string>((resolve) => {
      unsubscribe = bus.subscribe(channel, resolve);
    });
    return { ready: Promise.resolve(), next, close: () => unsubscribe() };
  },
);
