/**
 * An immutable map from column name to a value, in column order, whose versions share storage. A formula chain adds
 * one column per node: copying a `Map` per node (~90 ns per entry) made compiling quadratic in the number of columns.
 * A version appends in place into the arrays it was made from when nothing was appended after it (the common case:
 * a chain), and copies them otherwise (a node feeding two nodes); replacing a value copies only the values.
 *
 * `marked` counts the values a predicate fixed at creation holds for (e.g. computed columns), so asking "is any
 * column computed?" costs nothing.
 */
export class Scope<T> {
  private constructor(
    private readonly store: Store<T>,
    readonly size: number,
    /** How many of the first `size` values satisfy `store.mark`. */
    readonly marked: number,
  ) {}

  static of<T>(entries: Iterable<readonly [string, T]>, mark: (value: T) => boolean = () => false): Scope<T> {
    // Built in one store rather than by `set` per entry: merging builds a scope of every column at each subquery level.
    const store: Store<T> = { index: new Map(), names: [], values: [], mark };
    let marked = 0;
    for (const [name, value] of entries) {
      const at = store.index.get(name);
      if (at !== undefined) {
        marked -= mark(store.values[at]!) ? 1 : 0;
        store.values[at] = value;
      } else {
        store.index.set(name, store.names.length);
        store.names.push(name);
        store.values.push(value);
      }
      marked += mark(value) ? 1 : 0;
    }
    return new Scope(store, store.names.length, marked);
  }

  get(name: string): T | undefined {
    const i = this.store.index.get(name);
    return i !== undefined && i < this.size ? this.store.values[i] : undefined;
  }

  /** The value at a position (column order), without copying. */
  at(position: number): T | undefined {
    return position >= 0 && position < this.size ? this.store.values[position] : undefined;
  }

  /** This scope with `name` bound to `value`: replaced in place when bound, else appended. */
  set(name: string, value: T): Scope<T> {
    const { index, names, values, mark } = this.store;
    const at = index.get(name);
    const delta = mark(value) ? 1 : 0;
    if (at !== undefined && at < this.size) {
      const replaced = values.slice(0, this.size);
      replaced[at] = value;
      const marked = this.marked - (mark(values[at]!) ? 1 : 0) + delta;
      // The index is shared: names are unchanged, and versions only read positions below their size.
      return new Scope({ index, names, values: replaced, mark }, this.size, marked);
    }
    if (index.size === this.size && values.length === this.size) {
      index.set(name, this.size);
      names.push(name);
      values.push(value);
      return new Scope(this.store, this.size + 1, this.marked + delta);
    }
    // Something was appended after this version: the rest of the chain gets its own copy.
    const ownNames = names.slice(0, this.size);
    const ownIndex = new Map(ownNames.map((n, i) => [n, i]));
    ownIndex.set(name, this.size);
    const store = {
      index: ownIndex,
      names: [...ownNames, name],
      values: [...values.slice(0, this.size), value],
      mark,
    };
    return new Scope(store, this.size + 1, this.marked + delta);
  }

  /** The values in column order. */
  values(): T[] {
    return this.store.values.slice(0, this.size);
  }
}

interface Store<T> {
  /** Name → position; may hold names appended by other versions at positions ≥ a version's size. */
  index: Map<string, number>;
  names: string[];
  values: T[];
  mark: (value: T) => boolean;
}
