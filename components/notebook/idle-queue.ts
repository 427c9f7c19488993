// Work that can wait (rendering markdown below the fold, analyzing cells for completion and stale
// marking) starts once the page is idle and then runs in slices of a few milliseconds, yielding
// to input and rendering between slices, so opening a long notebook never holds the main thread
// for long. A job that `hurry()`s (its cell came on screen) goes first, without waiting for idle.

type Job = () => void;
interface Entry {
  job: Job;
  done: boolean;
}

const SLICE_MS = 8;
const urgent: Entry[] = [];
const waiting: Entry[] = [];
let pumping = false; // a slice is scheduled
let idleWait = false; // waiting for the first idle period

type Ric = (cb: () => void, o?: { timeout: number }) => number;

function next(list: Entry[]): Entry | null {
  while (list.length) {
    const e = list.shift()!;
    if (!e.done) return e;
  }
  return null;
}

let channel: MessageChannel | null = null;
function nextTask(fn: () => void): void {
  if (typeof MessageChannel === "undefined") {
    setTimeout(fn, 0);
    return;
  }
  channel ??= new MessageChannel();
  channel.port1.onmessage = () => fn();
  channel.port2.postMessage(null);
}

function slice(): void {
  pumping = false;
  const start = performance.now();
  for (let e = next(urgent) ?? next(waiting); e; e = performance.now() - start < SLICE_MS ? (next(urgent) ?? next(waiting)) : null) {
    e.done = true;
    try {
      e.job();
    } catch (err) {
      console.error(err);
    }
  }
  if (urgent.length || waiting.length) pump();
}

function pump(): void {
  if (pumping) return;
  pumping = true;
  nextTask(slice);
}

function schedule(): void {
  if (pumping || idleWait) return;
  if (urgent.length) return pump();
  // Nothing urgent: start when the page is first idle (after it has rendered and painted).
  idleWait = true;
  const start = () => {
    idleWait = false;
    pump();
  };
  const ric = (window as unknown as { requestIdleCallback?: Ric }).requestIdleCallback;
  if (ric) ric(start, { timeout: 500 });
  else setTimeout(start, 50);
}

/** Runs `job` when the page is idle, in a time slice. `hurry()` moves it to the front. */
export function whenIdle(job: Job): { cancel(): void; hurry(): void } {
  const entry: Entry = { job, done: false };
  waiting.push(entry);
  schedule();
  return {
    cancel: () => void (entry.done = true),
    hurry: () => {
      if (entry.done) return;
      const i = waiting.indexOf(entry);
      if (i < 0) return;
      waiting.splice(i, 1);
      urgent.push(entry);
      if (idleWait) pump();
      else schedule();
    },
  };
}
