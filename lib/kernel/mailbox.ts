// A one-slot shared-memory mailbox for finished runs, beside the worker's messages.
//
// After a click (any discrete input) Chrome holds the page's ordinary tasks, worker messages
// included, until it has drawn the next frame (DeferRendererTasksAfterInput). A cell like `1 + 1`
// is done in the worker long before that frame, but its messages only run after it, and its output
// appears a frame late. So the worker also writes each short run's events, once it is done, into a
// SharedArrayBuffer, and the page reads it in its animation frame callbacks: the output is in the
// first frame after the click. The messages still come and remain the only path for long runs,
// large or non-text outputs, and pages that are not cross-origin isolated (no SharedArrayBuffer).
//
// Layout: Int32 [version, byteLength], then UTF-8 JSON. The version is odd while the worker
// writes (a seqlock): a reader that sees it odd, or changed after copying, reads again later.

import type { RunEvent } from "./protocol";

export const MAILBOX_BYTES = 64 * 1024;
const HEADER_BYTES = 8;
/** A run with more events than this streamed its output already; it is not mailed. */
const MAX_EVENTS = 32;

export interface MailedRun {
  runId: string;
  /** Every event of the run in the order it was posted, ending with `done`. */
  events: RunEvent[];
}

/** A mailbox when the page may share memory with its worker (cross-origin isolated), else null. */
export function createMailbox(): SharedArrayBuffer | null {
  if (typeof SharedArrayBuffer === "undefined" || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) return null;
  return new SharedArrayBuffer(HEADER_BYTES + MAILBOX_BYTES);
}

const header = (sab: SharedArrayBuffer) => new Int32Array(sab, 0, 2);
const body = (sab: SharedArrayBuffer) => new Uint8Array(sab, HEADER_BYTES);

/** Writes `run` if it fits; false when it does not (the page then waits for the messages). */
export function writeMailbox(sab: SharedArrayBuffer, run: MailedRun): boolean {
  const bytes = new TextEncoder().encode(JSON.stringify(run));
  const data = body(sab);
  if (bytes.length > data.length) return false;
  const h = header(sab);
  Atomics.add(h, 0, 1); // odd: writing
  data.set(bytes);
  Atomics.store(h, 1, bytes.length);
  Atomics.add(h, 0, 1); // even: complete
  return true;
}

/** The mailed run if one newer than `seen` is there and whole; null otherwise. */
export function readMailbox(sab: SharedArrayBuffer, seen: number): { version: number; run: MailedRun } | null {
  const h = header(sab);
  const version = Atomics.load(h, 0);
  if (version === seen || version % 2 === 1) return null;
  const length = Atomics.load(h, 1);
  const copy = body(sab).slice(0, length); // a private copy: TextDecoder does not read shared memory
  if (Atomics.load(h, 0) !== version) return null; // overwritten while copying
  return { version, run: JSON.parse(new TextDecoder().decode(copy)) as MailedRun };
}

/** Only events that survive JSON unchanged are mailed: text bundles, not charts, tables or tensors. */
function mailable(e: RunEvent): boolean {
  if (e.type !== "result" && e.type !== "display") return true;
  return Object.values(e.data).every((v) => typeof v === "string");
}

/** The worker's side: collects each run's events and mails the run when it is done. */
export class RunMailboxWriter {
  private sab: SharedArrayBuffer | null = null;
  /** runId → its events so far, or null once it cannot be mailed. */
  private runs = new Map<string, RunEvent[] | null>();

  attach(sab: SharedArrayBuffer | null | undefined): void {
    this.sab = sab ?? null;
    this.runs.clear();
  }

  record(event: RunEvent): void {
    if (!this.sab) return;
    let events = this.runs.get(event.runId);
    if (events === undefined) this.runs.set(event.runId, (events = []));
    if (events && (events.length >= MAX_EVENTS || !mailable(event))) this.runs.set(event.runId, (events = null));
    events?.push(event);
    if (event.type === "done") {
      this.runs.delete(event.runId);
      if (events) writeMailbox(this.sab, { runId: event.runId, events });
    }
  }
}
