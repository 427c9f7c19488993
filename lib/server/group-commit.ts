// Group commit: items submitted in the same tick, or while earlier writes are in flight, are
// written together by one call of `write` (one statement, one commit). Each submitter's promise
// settles only after the write that carried its item has finished — durability is that of the
// write itself. If a group's write fails, each of its items is written again on its own, so a bad
// item fails only its own submitter; `write` must be all-or-nothing for that to be exact.
// `maxInFlight` writes may run at once (1 for a single connection; more lets a pool overlap
// commits); items wait while all are busy and go, together, in the next one free.
export type GroupWrite<T> = (items: T[]) => Promise<void>;

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export function createGroupCommit<T>(write: GroupWrite<T>, opts: { maxItems?: number; maxInFlight?: number } = {}): (item: T) => Promise<void> {
  const maxItems = opts.maxItems ?? 1000;
  const maxInFlight = opts.maxInFlight ?? 1;
  let queue: Pending<T>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const writeGroup = async (group: Pending<T>[]) => {
    try {
      await write(group.map((p) => p.item));
      for (const p of group) p.resolve();
    } catch (e) {
      if (group.length === 1) return group[0].reject(e);
      await Promise.all(group.map((p) => Promise.resolve([p.item]).then(write).then(p.resolve, p.reject)));
    }
  };

  const pump = () => {
    scheduled = false;
    while (queue.length && inFlight < maxInFlight) {
      const group = queue.length <= maxItems ? queue : queue.slice(0, maxItems);
      queue = queue.length <= maxItems ? [] : queue.slice(maxItems);
      inFlight++;
      void writeGroup(group).then(() => {
        inFlight--;
        pump();
      });
    }
  };

  return (item: T) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // Wait one turn of the event loop so requests read in the same I/O phase share the write.
      if (!scheduled && inFlight < maxInFlight) {
        scheduled = true;
        setImmediate(pump);
      }
    });
}
