// Display helpers of the challenge pages (components/challenges/format.ts, csv-preview.ts):
// deadlines typed and shown in the class's time zone, rank shifts, the CSV preview.
import { describe, expect, it } from "vitest";
import { guessIdColumn, readCsvPreview } from "@/components/challenges/csv-preview";
import { formatInZone, formatScore, rankShift } from "@/components/challenges/format";
import { instantToZonedLocal, offsetMinutes, zonedLocalToInstant } from "@/lib/time-zone";

describe("time zones", () => {
  it("reads a wall time in the class's zone", () => {
    expect(zonedLocalToInstant("2025-06-12T23:59", "America/Argentina/Buenos_Aires")!.toISOString()).toBe("2025-06-13T02:59:00.000Z");
    expect(zonedLocalToInstant("2025-06-12T23:59", "UTC")!.toISOString()).toBe("2025-06-12T23:59:00.000Z");
    expect(zonedLocalToInstant("2025-01-15T10:00", "Europe/Madrid")!.toISOString()).toBe("2025-01-15T09:00:00.000Z");
    expect(zonedLocalToInstant("2025-07-15T10:00", "Europe/Madrid")!.toISOString()).toBe("2025-07-15T08:00:00.000Z");
  });
  it("refuses what is not a wall time", () => {
    for (const bad of ["", "2025-06-12", "2025-13-01T10:00", "2025-06-31T10:00", "2025-06-12T24:00", "mañana"]) {
      expect(zonedLocalToInstant(bad, "UTC")).toBeNull();
    }
  });
  it("round-trips through instantToZonedLocal", () => {
    const d = new Date("2025-03-30T01:30:00Z");
    for (const zone of ["Europe/Madrid", "America/Argentina/Buenos_Aires", "America/New_York", "Asia/Kolkata"]) {
      expect(zonedLocalToInstant(instantToZonedLocal(d, zone), zone)!.getTime()).toBe(d.getTime());
    }
  });
  it("knows offsets and formats in the zone", () => {
    expect(offsetMinutes(new Date("2025-06-01T00:00:00Z"), "America/Argentina/Buenos_Aires")).toBe(-180);
    expect(offsetMinutes(new Date("2025-06-01T00:00:00Z"), "Asia/Kolkata")).toBe(330);
    expect(formatInZone(new Date("2025-06-13T02:59:00Z"), "America/Argentina/Buenos_Aires", "en")).toContain("11:59");
    expect(formatInZone(new Date("2025-06-13T02:59:00Z"), "UTC", "en")).toContain("2:59");
  });
});

describe("rankShift and formatScore", () => {
  it("says how a place moved", () => {
    expect(rankShift(3, 1)).toEqual({ text: "▲2", direction: "up", places: 2 });
    expect(rankShift(1, 2)).toEqual({ text: "▼1", direction: "down", places: 1 });
    expect(rankShift(4, 4)).toEqual({ text: "=", direction: "same", places: 0 });
    expect(rankShift(null, 4).direction).toBe("none");
  });
  it("rounds scores", () => {
    expect(formatScore(0.123456)).toBe("0.1235");
    expect(formatScore(1)).toBe("1");
    expect(formatScore(null)).toBe("—");
    expect(formatScore(Number.NaN)).toBe("—");
  });
});

describe("readCsvPreview", () => {
  it("gives columns, rows and the target's values", () => {
    const r = readCsvPreview("\uFEFFid,amount,is_fraud\n1,10.5,0\n2,3,1\n3,7,0\n");
    expect(r).toEqual({ ok: true, preview: { columns: ["id", "amount", "is_fraud"], rowCount: 3, values: { id: ["1", "2", "3"], amount: ["10.5", "3", "7"], is_fraud: ["0", "1"] } } });
  });
  it("names what is wrong with a file", () => {
    expect(readCsvPreview("")).toEqual({ ok: false, problem: "empty" });
    expect(readCsvPreview("only\n1\n")).toEqual({ ok: false, problem: "tooFewColumns" });
    expect(readCsvPreview("a,b\n")).toEqual({ ok: false, problem: "noRows" });
    expect(readCsvPreview("a,b\n1,2,3\n")).toEqual({ ok: false, problem: "unreadable" });
    expect(readCsvPreview("a,a\n1,2\n")).toEqual({ ok: false, problem: "unreadable" });
  });
  it("guesses the id column", () => {
    expect(guessIdColumn(["amount", "ID"])).toBe("ID");
    expect(guessIdColumn(["transaction_id", "x"])).toBe("transaction_id");
    expect(guessIdColumn(["idea", "x"])).toBeNull();
  });
});
