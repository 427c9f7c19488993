// A Map that also gives up its oldest entry (insertion order; setting a key again makes it the
// newest) in constant time. A plain Map used as such a queue (`map.delete(map.keys().next().value)`)
// is not: V8 leaves deleted entries as holes in its table until the next rehash, and an iterator
// starting at the front walks over every one of them, so with 50,000 entries evicted at the front
// one by one each eviction skipped thousands of holes (~10 µs per serving request).
// Here a queue beside the Map remembers the insertion order; its stale items (deleted or set
// again since) are skipped when evicting and dropped when the queue grows past twice the Map.

export class InsertionOrderMap<K, V extends object> {
  private readonly map = new Map<K, V>();
  /** Keys and values in insertion order from `head`; an item is live while map.get(key) is still its value. */
  private keys: K[] = [];
  private values: V[] = [];
  private head = 0;

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Sets `key` as the newest entry. Values are told apart by identity: set a new object each time. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    this.keys.push(key);
    this.values.push(value);
    if (this.keys.length - this.head > 2 * this.map.size + 64) this.compact();
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Removes the oldest entry; its key, or undefined when empty. */
  deleteOldest(): K | undefined {
    while (this.head < this.keys.length) {
      const i = this.head++;
      const key = this.keys[i];
      const live = this.map.get(key) === this.values[i];
      this.keys[i] = undefined as K;
      this.values[i] = undefined as unknown as V;
      if (live) {
        this.map.delete(key);
        if (this.head > 1024 && this.head * 2 > this.keys.length) this.compact();
        return key;
      }
    }
    return undefined;
  }

  /** Keeps only the live queue items, in order. */
  private compact(): void {
    const keys: K[] = [];
    const values: V[] = [];
    for (let i = this.head; i < this.keys.length; i++) {
      if (this.map.get(this.keys[i]) === this.values[i]) {
        keys.push(this.keys[i]);
        values.push(this.values[i]);
      }
    }
    this.keys = keys;
    this.values = values;
    this.head = 0;
  }
}
