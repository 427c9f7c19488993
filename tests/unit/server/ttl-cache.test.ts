import { describe, expect, it } from "vitest";
import { TtlCache } from "@/lib/server/ttl-cache";

describe("TtlCache", () => {
  it("returns a value until its time-to-live runs out", () => {
    let now = 1000;
    const c = new TtlCache<string, number>(100, 10, () => now);
    expect(c.set("a", 1, c.ticket())).toBe(true);
    now = 1099;
    expect(c.get("a")).toBe(1);
    now = 1100;
    expect(c.get("a")).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it("drops a key at once on invalidate", () => {
    const c = new TtlCache<string, number>(10_000, 10);
    c.set("a", 1, c.ticket());
    c.set("b", 2, c.ticket());
    c.invalidate("a");
    expect(c.get("a")).toBeUndefined();
    expect(c.get("b")).toBe(2);
  });

  it("refuses a value read before an invalidation (a fill that raced a revoke)", () => {
    const c = new TtlCache<string, string>(10_000, 10);
    const ticket = c.ticket(); // request starts its database read
    c.invalidate("token"); // the token is revoked meanwhile
    expect(c.set("token", "stale user", ticket)).toBe(false);
    expect(c.get("token")).toBeUndefined();
    expect(c.set("token", "fresh read", c.ticket())).toBe(true);
    expect(c.get("token")).toBe("fresh read");
  });

  it("evicts the oldest entry when full", () => {
    const c = new TtlCache<number, number>(10_000, 3);
    for (const k of [1, 2, 3, 4]) c.set(k, k, c.ticket());
    expect(c.size).toBe(3);
    expect(c.get(1)).toBeUndefined();
    expect([c.get(2), c.get(3), c.get(4)]).toEqual([2, 3, 4]);
  });
});
