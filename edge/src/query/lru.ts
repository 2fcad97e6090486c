/** The last `capacity` entries set or read, the least recently used forgotten first: memory stays bounded. */
export class Lru<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    // A Map iterates in insertion order: re-inserting moves the entry to the most recent end.
    if (value !== undefined) this.set(key, value);
    return value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** One value per owner object, made on first use and dropped with its owner (a WeakMap holds them). */
export function perOwner<O extends object, V>(make: () => V): (owner: O) => V {
  const byOwner = new WeakMap<O, V>();
  return (owner) => {
    let value = byOwner.get(owner);
    if (value === undefined) byOwner.set(owner, (value = make()));
    return value;
  };
}

/** One `Lru` per owner object (`perOwner`). */
export const lruPer = <O extends object, V>(capacity: number): ((owner: O) => Lru<V>) =>
  perOwner<O, Lru<V>>(() => new Lru<V>(capacity));
