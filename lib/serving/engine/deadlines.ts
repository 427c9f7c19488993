// Request timeouts without a timer per request. Every pending prediction needs a deadline, but a
// setTimeout each (created, then cleared when the answer comes a few ms later) costs a Timeout
// object, an insertion into Node's timer lists and — in the server process — the init hooks of
// the AsyncLocalStorage instances Next's code enables. Here one unref'd timer serves them all:
// deadlines of the same length are queued in the order they were set, which is also the order
// they fall due, so the timer only ever needs the earliest one; a deadline cancelled before it is
// due is just marked and skipped.

export interface Deadline {
  /** The request was answered: the deadline will not fire. */
  cancel(): void;
}

interface Item extends Deadline {
  at: number;
  onTimeout: (() => void) | null;
}

/** Deadlines of one length, in the order they fall due; items before `head` are gone. */
interface Lane {
  items: Item[];
  head: number;
}

export class Deadlines {
  private readonly lanes = new Map<number, Lane>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Calls `onTimeout` once `ms` have passed, unless cancelled first. */
  add(ms: number, onTimeout: () => void): Deadline {
    const length = Math.max(0, ms);
    let lane = this.lanes.get(length);
    if (!lane) this.lanes.set(length, (lane = { items: [], head: 0 }));
    const item: Item = {
      at: this.now() + length,
      onTimeout,
      cancel() {
        this.onTimeout = null;
      },
    };
    lane.items.push(item);
    // Answered requests leave their items at the front; drop them as new ones come (amortized O(1)).
    this.dropCancelled(lane);
    if (item.at < this.timerAt) this.arm(item.at);
    return item;
  }

  /** Deadlines neither cancelled nor fired yet. */
  get pending(): number {
    let n = 0;
    for (const lane of this.lanes.values()) for (let i = lane.head; i < lane.items.length; i++) if (lane.items[i].onTimeout) n++;
    return n;
  }

  /** Stops the timer; nothing fires afterwards. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    this.lanes.clear();
  }

  private dropCancelled(lane: Lane): void {
    while (lane.head < lane.items.length && !lane.items[lane.head].onTimeout) lane.items[lane.head++] = undefined as unknown as Item;
    if (lane.head > 1024 && lane.head * 2 > lane.items.length) {
      lane.items = lane.items.slice(lane.head);
      lane.head = 0;
    }
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(at - this.now())));
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = this.now();
    const due: (() => void)[] = [];
    let next = Infinity;
    for (const [length, lane] of this.lanes) {
      this.dropCancelled(lane);
      while (lane.head < lane.items.length) {
        const item = lane.items[lane.head];
        if (item.onTimeout && item.at > now) break;
        lane.items[lane.head++] = undefined as unknown as Item;
        if (item.onTimeout) due.push(item.onTimeout);
        item.onTimeout = null;
      }
      this.dropCancelled(lane);
      if (lane.head >= lane.items.length) this.lanes.delete(length);
      else next = Math.min(next, lane.items[lane.head].at);
    }
    if (next < Infinity) this.arm(next);
    for (const f of due) f();
  }
}
