import { describe, expect, it } from "vitest";
import { PerKeyQueue, QueueFullError } from "@/lib/server/per-key-queue";

const later = () => {
  let resolve!: (v: string) => void, reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe("PerKeyQueue", () => {
  it("runs one task at a time per key, in arrival order, and keys concurrently", async () => {
    const q = new PerKeyQueue(10);
    const log: string[] = [];
    const a1 = later(), a2 = later(), b1 = later();
    const r1 = q.run("ana", () => (log.push("ana 1"), a1.promise));
    const r2 = q.run("ana", () => (log.push("ana 2"), a2.promise));
    const r3 = q.run("bea", () => (log.push("bea 1"), b1.promise));
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(["ana 1", "bea 1"]);
    expect(q.size("ana")).toBe(2);
    a1.resolve("x");
    await r1;
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(["ana 1", "bea 1", "ana 2"]);
    a2.resolve("y");
    b1.resolve("z");
    expect(await Promise.all([r2, r3])).toEqual(["y", "z"]);
    await new Promise((r) => setTimeout(r, 0));
    expect(q.size("ana")).toBe(0);
    expect(q.size("bea")).toBe(0);
  });

  it("a failing task does not stop the next one of its key", async () => {
    const q = new PerKeyQueue(10);
    const first = q.run("ana", () => Promise.reject(new Error("boom")));
    const second = q.run("ana", async () => "ok");
    await expect(first).rejects.toThrow("boom");
    expect(await second).toBe("ok");
  });

  it("refuses a task past the bound for its key only, and accepts again once one finished", async () => {
    const q = new PerKeyQueue(2);
    const hold = later();
    const r1 = q.run("ana", () => hold.promise);
    const r2 = q.run("ana", async () => "second");
    await expect(q.run("ana", async () => "third")).rejects.toBeInstanceOf(QueueFullError);
    expect(await q.run("bea", async () => "other key")).toBe("other key");
    hold.resolve("first");
    expect(await Promise.all([r1, r2])).toEqual(["first", "second"]);
    await new Promise((r) => setTimeout(r, 0));
    expect(await q.run("ana", async () => "again")).toBe("again");
  });
});
