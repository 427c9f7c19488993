// Seeded public/private splits and days in a class's time zone.
import { describe, expect, it } from "vitest";
import { DEFAULT_TIME_ZONE, dayKey, isValidTimeZone, nextDayStart } from "@/lib/time-zone";
import { pickRows, publicMaskFor, seedFromText, sideCount } from "@/lib/challenges/split";

describe("public/private split", () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 20 === 0 ? 1 : 0));

  it("is the same for the same challenge id, and another for another id", () => {
    const a = publicMaskFor(labels, 0.3, "ch-one", true);
    expect(publicMaskFor(labels, 0.3, "ch-one", true)).toBe(a);
    expect(publicMaskFor(labels, 0.3, "ch-two", true)).not.toBe(a);
    expect(a).toMatch(/^[01]{1000}$/);
  });

  it("takes 30 % of each class when stratified", () => {
    const m = publicMaskFor(labels, 0.3, "x", true);
    const pub = [...m].map((c, i) => (c === "1" ? i : -1)).filter((i) => i >= 0);
    expect(pub).toHaveLength(300);
    expect(pub.filter((i) => labels[i] === 1)).toHaveLength(15);
    const plain = pickRows(1000, 0.3, "x", null);
    expect(plain.filter(Boolean)).toHaveLength(300);
  });

  it("keeps a row on each side of a group of two or more", () => {
    expect(sideCount(1, 0.3)).toBe(0);
    expect(sideCount(2, 0.05)).toBe(1);
    expect(sideCount(2, 0.95)).toBe(1);
    expect(sideCount(10, 0.3)).toBe(3);
    const m = publicMaskFor([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], 0.3, "tiny", true);
    expect([...m].filter((c, i) => c === "1" && i < 2)).toHaveLength(1);
  });

  it("does not depend on the order groups first appear", () => {
    const seedA = seedFromText("abc");
    expect(seedA).toBe(seedFromText("abc"));
    expect(seedA).not.toBe(seedFromText("abd"));
    const m1 = pickRows(6, 0.5, "s", ["a", "b", "a", "b", "a", "b"]);
    const m2 = pickRows(6, 0.5, "s", ["a", "b", "a", "b", "a", "b"]);
    expect(m1).toEqual(m2);
    expect(() => pickRows(6, 1, "s", null)).toThrow(/fraction/);
  });
});

describe("days in the class's time zone", () => {
  it("defaults to Buenos Aires (UTC−3, no DST) and turns at its midnight", () => {
    expect(DEFAULT_TIME_ZONE).toBe("America/Argentina/Buenos_Aires");
    expect(dayKey(new Date("2026-03-11T02:59:59Z"))).toBe("2026-03-10");
    expect(dayKey(new Date("2026-03-11T03:00:00Z"))).toBe("2026-03-11");
    expect(nextDayStart(new Date("2026-03-10T15:00:00Z")).toISOString()).toBe("2026-03-11T03:00:00.000Z");
    expect(nextDayStart(new Date("2026-12-31T22:00:00Z")).toISOString()).toBe("2027-01-01T03:00:00.000Z");
  });

  it("follows other zones, DST days and half-hour offsets", () => {
    expect(dayKey(new Date("2026-03-10T23:30:00Z"), "UTC")).toBe("2026-03-10");
    expect(dayKey(new Date("2026-03-10T23:30:00Z"), "Asia/Kolkata")).toBe("2026-03-11");
    expect(nextDayStart(new Date("2026-03-10T12:00:00Z"), "Asia/Kolkata").toISOString()).toBe("2026-03-10T18:30:00.000Z");
    // New York springs forward on 2026-03-08 at 02:00: that day is 23 hours long
    expect(nextDayStart(new Date("2026-03-08T12:00:00Z"), "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(nextDayStart(new Date("2026-03-07T12:00:00Z"), "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    // Santiago skips local midnight when DST starts (2026-09-06): the day starts at 01:00
    const start = nextDayStart(new Date("2026-09-05T15:00:00Z"), "America/Santiago");
    expect(dayKey(start, "America/Santiago")).toBe("2026-09-06");
    expect(dayKey(new Date(start.getTime() - 1000), "America/Santiago")).toBe("2026-09-05");
  });

  it("validates zone names", () => {
    expect(isValidTimeZone("Europe/Madrid")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("../../etc")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});
