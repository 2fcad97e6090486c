/**
 * Runs `fn` after the current macrotask: after every callback and microtask it queues. `setImmediate` on Node; workerd
 * has no `setImmediate`, and its `setTimeout(fn, 0)` serves the same purpose there.
 */
export const afterThisMacrotask: (fn: () => void) => void =
  (globalThis as { setImmediate?: (fn: () => void) => void }).setImmediate ?? ((fn) => setTimeout(fn, 0));

/**
 * Whether `promise` settles within the current macrotask (a read from memory) rather than on a later event (a reply
 * over the network). Requests issued before the call have gone out by the time it answers, so work done then overlaps
 * their round trip.
 */
export function settlesAtOnce(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  const mark = () => {
    settled = true;
  };
  promise.then(mark, mark);
  return new Promise((resolve) => afterThisMacrotask(() => resolve(settled)));
}
