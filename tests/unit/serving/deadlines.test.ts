// The engine's request timeouts on one timer: each deadline fires once, at its time, unless
// cancelled; lengths mixed; cancelled items do not pile up.
import { describe, expect, it } from "vitest";
import { Deadlines } from "@/lib/serving/engine/deadlines";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Deadlines", () => {
  it("fires a deadline once its time has passed, and not before", async () => {
    const d = new Deadlines();
    const fired: number[] = [];
    const start = performance.now();
    d.add(40, () => fired.push(performance.now() - start));
    await sleep(20);
    expect(fired).toEqual([]);
    await sleep(60);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(39);
    expect(d.pending).toBe(0);
  });

  it("never fires a cancelled deadline", async () => {
    const d = new Deadlines();
    let fired = 0;
    const a = d.add(20, () => fired++);
    d.add(30, () => (fired += 10));
    a.cancel();
    a.cancel(); // twice is harmless
    await sleep(60);
    expect(fired).toBe(10);
  });

  it("keeps deadlines of different lengths apart: a short one set after a long one fires first", async () => {
    const d = new Deadlines();
    const order: string[] = [];
    d.add(80, () => order.push("long"));
    d.add(20, () => order.push("short"));
    await sleep(50);
    expect(order).toEqual(["short"]);
    await sleep(60);
    expect(order).toEqual(["short", "long"]);
  });

  it("fires every deadline due at the same moment, each once, in the order they were set", async () => {
    let now = 0;
    const d = new Deadlines(() => now);
    const order: number[] = [];
    for (let i = 0; i < 5; i++) d.add(10, () => order.push(i));
    now = 10;
    await sleep(30);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    now = 1_000;
    await sleep(20);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it("drops answered requests' deadlines as new ones come, so they do not pile up", () => {
    const d = new Deadlines();
    for (let i = 0; i < 100_000; i++) d.add(10_000, () => {}).cancel();
    const live = d.add(10_000, () => {});
    expect(d.pending).toBe(1);
    // The lane keeps at most about twice what is still waiting past its front.
    const lanes = (d as unknown as { lanes: Map<number, { items: unknown[]; head: number }> }).lanes;
    const lane = lanes.get(10_000)!;
    expect(lane.items.length - lane.head).toBe(1);
    expect(lane.items.length).toBeLessThan(3_000);
    live.cancel();
    d.clear();
  });

  it("clear() stops everything", async () => {
    const d = new Deadlines();
    let fired = 0;
    d.add(10, () => fired++);
    d.clear();
    await sleep(30);
    expect(fired).toBe(0);
  });
});
