import { describe, expect, it } from "vitest";
import { instantToZonedLocal, isValidTimeZone, zonedLocalToInstant } from "@/lib/time-zone";

describe("class time zones", () => {
  it("reads a wall-clock time in the class's zone as the right instant and back", () => {
    expect(zonedLocalToInstant("2026-05-04T23:59", "America/Argentina/Buenos_Aires")?.toISOString()).toBe("2026-05-05T02:59:00.000Z");
    expect(zonedLocalToInstant("2026-01-15T09:30", "Europe/Madrid")?.toISOString()).toBe("2026-01-15T08:30:00.000Z");
    expect(zonedLocalToInstant("2026-07-15T09:30", "Europe/Madrid")?.toISOString()).toBe("2026-07-15T07:30:00.000Z");
    expect(instantToZonedLocal(new Date("2026-05-05T02:59:00Z"), "America/Argentina/Buenos_Aires")).toBe("2026-05-04T23:59");
    expect(instantToZonedLocal(new Date("2026-07-15T07:30:00Z"), "Europe/Madrid")).toBe("2026-07-15T09:30");
  });

  it("round-trips across a DST change", () => {
    for (const local of ["2026-03-29T01:30", "2026-03-29T03:30", "2026-10-25T01:00", "2026-10-25T04:00"]) {
      const instant = zonedLocalToInstant(local, "Europe/Madrid")!;
      expect(instantToZonedLocal(instant, "Europe/Madrid")).toBe(local);
    }
  });

  it("rejects malformed or impossible dates and unknown zones", () => {
    expect(zonedLocalToInstant("2026-04-31T10:00", "UTC")).toBeNull();
    expect(zonedLocalToInstant("2026-13-01T10:00", "UTC")).toBeNull();
    expect(zonedLocalToInstant("tomorrow", "UTC")).toBeNull();
    expect(isValidTimeZone("America/Argentina/Buenos_Aires")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("x".repeat(100))).toBe(false);
  });
});
