import { describe, expect, it } from "vitest";
import { abBucket, routeVersion, stableHash, warmVersions, type TrafficPolicy } from "@/lib/serving/traffic";

/** A seeded LCG in [0, 1). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const policy = (p: Partial<TrafficPolicy>): TrafficPolicy => ({
  endpointId: "ep-1",
  mode: "single",
  stableVersion: 1,
  candidateVersion: null,
  canaryPercent: 0,
  abPercent: 50,
  liveColor: "blue",
  ...p,
});
const available = new Set([1, 2, 3]);
const route = (p: TrafficPolicy | null, callerKey = "u1", extra: { explicit?: boolean; random?: () => number; available?: Set<number> } = {}) =>
  routeVersion(p, { explicit: extra.explicit ?? false, callerKey, available: extra.available ?? available, random: extra.random });

describe("routeVersion", () => {
  it("no policy, or an explicit version/label: the request's own choice (null)", () => {
    expect(route(null)).toEqual({ version: null, shadowVersion: null, arm: "stable" });
    const canary = policy({ mode: "canary", candidateVersion: 2, canaryPercent: 100 });
    expect(route(canary, "u1", { explicit: true })).toEqual({ version: null, shadowVersion: null, arm: "stable" });
    expect(route(policy({ mode: "shadow", candidateVersion: 2 }), "u1", { explicit: true }).shadowVersion).toBeNull();
  });

  it("single: the stable version; null stable = the newest available", () => {
    expect(route(policy({ stableVersion: 2 })).version).toBe(2);
    expect(route(policy({ stableVersion: null })).version).toBe(3);
  });

  it("a stable or candidate version that is not available falls back (stable → newest; candidate → stable)", () => {
    expect(route(policy({ stableVersion: 9 })).version).toBe(3);
    expect(route(policy({ mode: "canary", candidateVersion: 9, canaryPercent: 100 })).version).toBe(1);
    expect(route(policy({ mode: "blue-green", candidateVersion: 9, liveColor: "green" })).version).toBe(1);
  });

  it("canary: the candidate gets x % of 2,000 draws (±3 %), for x = 10, 25, 50", () => {
    for (const pct of [10, 25, 50]) {
      const random = seeded(pct * 7 + 1);
      const p = policy({ mode: "canary", candidateVersion: 2, canaryPercent: pct });
      let toCandidate = 0;
      for (let i = 0; i < 2000; i++) {
        const d = route(p, "same-caller", { random });
        expect([1, 2]).toContain(d.version);
        if (d.version === 2) {
          toCandidate++;
          expect(d.arm).toBe("candidate");
        }
      }
      expect(Math.abs((toCandidate / 2000) * 100 - pct)).toBeLessThanOrEqual(3);
    }
  });

  it("canary at 0 % and 100 %: all stable, all candidate", () => {
    const random = seeded(5);
    for (let i = 0; i < 200; i++) {
      expect(route(policy({ mode: "canary", candidateVersion: 2, canaryPercent: 0 }), "c", { random }).version).toBe(1);
      expect(route(policy({ mode: "canary", candidateVersion: 2, canaryPercent: 100 }), "c", { random }).version).toBe(2);
    }
  });

  it("A/B: a caller always gets the same arm; 2,000 callers split about 50/50 (±3 %)", () => {
    const p = policy({ mode: "ab", candidateVersion: 2, abPercent: 50 });
    let b = 0;
    for (let i = 0; i < 2000; i++) {
      const caller = `user-${i}`;
      const first = route(p, caller, { random: seeded(i) }).version;
      for (let k = 0; k < 5; k++) expect(route(p, caller, { random: seeded(i * 31 + k) }).version).toBe(first);
      if (first === 2) b++;
    }
    expect(Math.abs((b / 2000) * 100 - 50)).toBeLessThanOrEqual(3);
  });

  it("A/B: 20 % to B over 2,000 callers; arms are per endpoint (another endpoint re-draws)", () => {
    let b = 0;
    let differ = 0;
    for (let i = 0; i < 2000; i++) {
      const a1 = route(policy({ mode: "ab", candidateVersion: 2, abPercent: 20 }), `cuid${i}x`).version;
      if (a1 === 2) b++;
      if (abBucket(`cuid${i}x`, "ep-1") < 50 !== abBucket(`cuid${i}x`, "ep-2") < 50) differ++;
    }
    expect(Math.abs((b / 2000) * 100 - 20)).toBeLessThanOrEqual(3);
    expect(differ).toBeGreaterThan(700); // independent arms differ about half the time
  });

  it("blue/green: all traffic to the live color; the idle color stays warm", () => {
    const blue = policy({ mode: "blue-green", stableVersion: 1, candidateVersion: 2, liveColor: "blue" });
    const green = { ...blue, liveColor: "green" as const };
    for (let i = 0; i < 100; i++) {
      expect(route(blue, `u${i}`, { random: seeded(i) }).version).toBe(1);
      expect(route(green, `u${i}`, { random: seeded(i) }).version).toBe(2);
    }
    expect(warmVersions(green).sort()).toEqual([1, 2]);
    expect(warmVersions(policy({ stableVersion: 1, candidateVersion: 2 }))).toEqual([1]);
  });

  it("shadow: the stable version answers, the candidate gets a copy", () => {
    const d = route(policy({ mode: "shadow", stableVersion: 1, candidateVersion: 3 }));
    expect(d).toEqual({ version: 1, shadowVersion: 3, arm: "stable" });
    // no shadow onto itself
    expect(route(policy({ mode: "shadow", stableVersion: 3, candidateVersion: 3 })).shadowVersion).toBeNull();
  });
});

describe("stableHash", () => {
  it("is deterministic and spreads neighbouring keys", () => {
    expect(stableHash("abc")).toBe(stableHash("abc"));
    expect(stableHash("user-1")).not.toBe(stableHash("user-2"));
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[stableHash(`user-${i}`) % 10]++;
    for (const n of buckets) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });
});
