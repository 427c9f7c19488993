import { describe, expect, it } from "vitest";
import { createRateLimiter } from "@/lib/server/live/rate-limit";

describe("join rate limiter", () => {
  it("allows a burst, then refills at the given rate, per key", () => {
    const r = createRateLimiter({ burst: 3, perSecond: 2 });
    expect([r.take("a", 0), r.take("a", 0), r.take("a", 0)]).toEqual([0, 0, 0]);
    expect(r.take("a", 0)).toBe(500);
    expect(r.take("b", 0)).toBe(0);
    expect(r.take("a", 500)).toBe(0);
    expect(r.take("a", 500)).toBeGreaterThan(0);
    expect(r.take("a", 10_000)).toBe(0);
  });

  it("stays bounded: idle keys are forgotten, and past the bound new keys wait", () => {
    const r = createRateLimiter({ burst: 1, perSecond: 1, maxKeys: 2 });
    expect(r.take("a", 0)).toBe(0);
    expect(r.take("b", 0)).toBe(0);
    expect(r.take("c", 0)).toBe(1000); // a and b not refilled yet
    expect(r.take("c", 5000)).toBe(0); // a and b full again: forgotten
  });
});
