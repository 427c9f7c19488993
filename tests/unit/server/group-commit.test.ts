import { describe, expect, it } from "vitest";
import { createGroupCommit } from "@/lib/server/group-commit";

function deferred() {
  let resolve!: () => void, reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
const settled = async <T>(p: Promise<T>) => {
  let state = "pending";
  p.then(() => (state = "fulfilled"), () => (state = "rejected"));
  await new Promise((r) => setImmediate(r));
  return state;
};

describe("createGroupCommit", () => {
  it("writes items submitted in the same tick with one call", async () => {
    const calls: number[][] = [];
    const submit = createGroupCommit<number>(async (items) => void calls.push(items));
    await Promise.all([1, 2, 3, 4, 5].map(submit));
    expect(calls).toEqual([[1, 2, 3, 4, 5]]);
  });

  it("settles each submitter only after the write carrying its item has finished", async () => {
    const gate = deferred();
    const submit = createGroupCommit<number>(() => gate.promise);
    const a = submit(1);
    const b = submit(2);
    expect(await settled(a)).toBe("pending");
    expect(await settled(b)).toBe("pending");
    gate.resolve();
    await expect(Promise.all([a, b])).resolves.toEqual([undefined, undefined]);
  });

  it("groups what arrives while a write is in flight into the next write", async () => {
    const gates = [deferred(), deferred()];
    const calls: number[][] = [];
    const submit = createGroupCommit<number>((items) => (calls.push(items), gates[calls.length - 1].promise));
    const first = submit(1);
    await new Promise((r) => setImmediate(r)); // the first write is now in flight
    const later = [submit(2), submit(3), submit(4)];
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[1]]);
    gates[0].resolve();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[1], [2, 3, 4]]);
    expect(await settled(later[0])).toBe("pending");
    gates[1].resolve();
    await Promise.all(later);
  });

  it("fails only the bad item: a failed group is retried item by item", async () => {
    const calls: number[][] = [];
    const submit = createGroupCommit<number>(async (items) => {
      calls.push(items);
      if (items.includes(3)) throw new Error(`bad ${items.join(",")}`);
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map(submit));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect((results[2] as PromiseRejectedResult).reason.message).toBe("bad 3");
    expect(calls).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it("caps a group at maxItems and keeps at most maxInFlight writes running", async () => {
    let running = 0;
    let peak = 0;
    const sizes: number[] = [];
    const submit = createGroupCommit<number>(
      async (items) => {
        sizes.push(items.length);
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      },
      { maxItems: 4, maxInFlight: 2 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => submit(i)));
    expect(sizes).toEqual([4, 4, 2]);
    expect(peak).toBe(2);
  });
});
