// A small in-process cache with a time-to-live, for rows read on hot paths (token → user,
// run → owner and lifecycle). Invalidation is race-safe: a value read from the database before
// an invalidation is never stored after it. Callers take a ticket() before the read and pass it
// to set(); any invalidate() in between makes that set() a no-op, so a request already in flight
// when a token is revoked or a run deleted cannot put the old row back.
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expires: number }>();
  private epoch = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Take before reading the value from its source; hand to set(). */
  ticket(): number {
    return this.epoch;
  }

  /** Stores the value unless something was invalidated since `ticket` was taken; says whether it did. */
  set(key: K, value: V, ticket: number): boolean {
    if (ticket !== this.epoch) return false;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as K); // oldest first
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    return true;
  }

  invalidate(key: K): void {
    this.epoch++;
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
