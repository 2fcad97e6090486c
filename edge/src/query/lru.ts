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

/** One `Lru` per owner object, made on first use and dropped with its owner (a WeakMap holds them). */
export function lruPer<O extends object, V>(capacity: number): (owner: O) => Lru<V> {
  const byOwner = new WeakMap<O, Lru<V>>();
  return (owner) => {
    let lru = byOwner.get(owner);
    if (!lru) byOwner.set(owner, (lru = new Lru<V>(capacity)));
    return lru;
  };
}
