// Runs tasks one at a time per key (a student), in arrival order, with a bound on how many may
// wait. Grading uses it so that one student cannot fill the sandbox pool with submissions (a
// thousand endless loops sent at once occupy one child at a time, not all of them) and a
// student's attempts are numbered in the order they were sent, without racing for a number.
// Tasks of different keys run concurrently; the pool's own queue orders those.

export class QueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} tasks are already waiting for this key`);
    this.name = "QueueFullError";
  }
}

export class PerKeyQueue {
  private readonly tails = new Map<string, { tail: Promise<unknown>; size: number }>();

  /** `maxPerKey`: running + waiting tasks allowed per key; one more is refused with QueueFullError. */
  constructor(private readonly maxPerKey: number) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const entry = this.tails.get(key) ?? { tail: Promise.resolve(), size: 0 };
    if (entry.size >= this.maxPerKey) return Promise.reject(new QueueFullError(entry.size));
    entry.size++;
    const result = entry.tail.then(task, task);
    entry.tail = result.then(
      () => this.settle(key, entry),
      () => this.settle(key, entry),
    );
    this.tails.set(key, entry);
    return result;
  }

  /** Tasks running or waiting for `key`. */
  size(key: string): number {
    return this.tails.get(key)?.size ?? 0;
  }

  private settle(key: string, entry: { size: number }): void {
    entry.size--;
    if (entry.size === 0 && this.tails.get(key) === entry) this.tails.delete(key);
  }
}
