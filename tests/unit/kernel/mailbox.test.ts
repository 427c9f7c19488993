import { describe, expect, it } from "vitest";
import { MAILBOX_BYTES, readMailbox, RunMailboxWriter, writeMailbox, type MailedRun } from "@/lib/kernel/mailbox";
import type { RunEvent } from "@/lib/kernel/protocol";

const sab = () => new SharedArrayBuffer(8 + MAILBOX_BYTES);
const base = { runId: "r1", cellId: "c1" };
const start: RunEvent = { ...base, type: "start", executionCount: 1, declares: [] };
const result: RunEvent = { ...base, type: "result", data: { "text/plain": "2" } };
const done: RunEvent = { ...base, type: "done", status: "ok", durationMs: 1, executionCount: 1, defined: [] };

describe("mailbox", () => {
  it("round-trips a run and reports each version once", () => {
    const box = sab();
    expect(readMailbox(box, 0)).toBeNull();
    const run: MailedRun = { runId: "r1", events: [start, result, done] };
    expect(writeMailbox(box, run)).toBe(true);
    const mail = readMailbox(box, 0)!;
    expect(mail.run).toEqual(run);
    expect(readMailbox(box, mail.version)).toBeNull();
    writeMailbox(box, { runId: "r2", events: [] });
    expect(readMailbox(box, mail.version)?.run.runId).toBe("r2");
  });

  it("reads nothing while a write is in progress (odd version)", () => {
    const box = sab();
    writeMailbox(box, { runId: "r1", events: [done] });
    const h = new Int32Array(box, 0, 2);
    Atomics.add(h, 0, 1);
    expect(readMailbox(box, 0)).toBeNull();
  });

  it("refuses a run that does not fit", () => {
    const box = sab();
    const big: RunEvent = { ...base, type: "stream", name: "stdout", text: "x".repeat(MAILBOX_BYTES) };
    expect(writeMailbox(box, { runId: "r1", events: [big] })).toBe(false);
    expect(readMailbox(box, 0)).toBeNull();
  });
});

describe("RunMailboxWriter", () => {
  it("mails a run when it is done, with every event in order", () => {
    const box = sab();
    const w = new RunMailboxWriter();
    w.attach(box);
    w.record(start);
    w.record(result);
    expect(readMailbox(box, 0)).toBeNull();
    w.record(done);
    expect(readMailbox(box, 0)?.run).toEqual({ runId: "r1", events: [start, result, done] });
  });

  it("does not mail runs with non-text outputs (charts, tables) or without a mailbox", () => {
    const box = sab();
    const w = new RunMailboxWriter();
    w.record(start);
    w.record(done);
    w.attach(box);
    w.record(start);
    w.record({ ...base, type: "display", data: { "application/vnd.vegalite.v5+json": { mark: "line" } as never, "text/plain": "chart" }, update: false });
    w.record(done);
    expect(readMailbox(box, 0)).toBeNull();
  });

  it("does not mail a run with many events (its output was streamed)", () => {
    const box = sab();
    const w = new RunMailboxWriter();
    w.attach(box);
    for (let i = 0; i < 40; i++) w.record({ ...base, type: "stream", name: "stdout", text: `${i}\n` });
    w.record(done);
    expect(readMailbox(box, 0)).toBeNull();
  });
});
