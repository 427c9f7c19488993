// The "create from CSV" form's own check: every mistake named at once, nothing sent until all
// are fixed; a good form becomes the createFromCsv input (deadline read in the class's zone).
import { describe, expect, it } from "vitest";
import { checkCreateForm, GENERATE_IDS, needsPositiveLabel, type CreateFormValues } from "@/components/challenges/create-form-check";
import type { CsvPreview } from "@/components/challenges/csv-preview";

const preview: CsvPreview = { columns: ["id", "x", "y"], rowCount: 100, values: { id: ["1"], x: ["0.5"], y: ["0", "1"] } };
const now = new Date("2025-06-01T12:00:00Z");
const good: CreateFormValues = {
  title: "  Mi desafío ",
  description: "Predecí y",
  targetColumn: "y",
  idColumn: "id",
  metric: "f1",
  positiveLabel: "1",
  deadline: "2025-06-10T23:59",
  dailyLimit: "5",
  publicPercent: "30",
};
const zone = "America/Argentina/Buenos_Aires";

describe("checkCreateForm", () => {
  it("turns a good form into the procedure's input", () => {
    const r = checkCreateForm(good, preview, zone, now);
    expect(r).toEqual({
      ok: true,
      input: {
        title: "Mi desafío",
        description: "Predecí y",
        targetColumn: "y",
        idColumn: "id",
        metric: "f1",
        positiveLabel: "1",
        deadline: new Date("2025-06-11T02:59:00Z"),
        dailyLimit: 5,
        publicFraction: 0.3,
      },
    });
  });
  it("generated ids and regression metrics send null", () => {
    const r = checkCreateForm({ ...good, idColumn: GENERATE_IDS, metric: "rmse", positiveLabel: "1" }, preview, zone, now);
    expect(r.ok && r.input.idColumn).toBeNull();
    expect(r.ok && r.input.positiveLabel).toBeNull();
  });
  it("names every problem at once", () => {
    const r = checkCreateForm(
      { ...good, title: "x", targetColumn: "", idColumn: "nope", metric: "accuracy-ish", deadline: "2025-05-01T10:00", dailyLimit: "0", publicPercent: "99" },
      preview,
      zone,
      now,
    );
    expect(r).toEqual({ ok: false, problems: ["title", "target", "idColumn", "metric", "deadlinePast", "dailyLimit", "publicShare"] });
  });
  it("needs a file, distinct columns, a positive label for binary metrics, a real deadline", () => {
    expect(checkCreateForm(good, null, zone, now)).toEqual({ ok: false, problems: ["noFile"] });
    expect(checkCreateForm({ ...good, idColumn: "y" }, preview, zone, now)).toEqual({ ok: false, problems: ["sameColumn"] });
    expect(checkCreateForm({ ...good, positiveLabel: "" }, preview, zone, now)).toEqual({ ok: false, problems: ["positiveLabel"] });
    expect(checkCreateForm({ ...good, deadline: "" }, preview, zone, now)).toEqual({ ok: false, problems: ["deadline"] });
    expect(checkCreateForm({ ...good, dailyLimit: "2.5" }, preview, zone, now)).toEqual({ ok: false, problems: ["dailyLimit"] });
    expect(checkCreateForm({ ...good, dailyLimit: "abc", publicPercent: "" }, preview, zone, now)).toEqual({ ok: false, problems: ["dailyLimit", "publicShare"] });
  });
  it("knows which metrics need a positive label", () => {
    expect(needsPositiveLabel("f1")).toBe(true);
    expect(needsPositiveLabel("average-precision")).toBe(true);
    expect(needsPositiveLabel("rmse")).toBe(false);
    expect(needsPositiveLabel("accuracy")).toBe(false);
    expect(needsPositiveLabel("bogus")).toBe(false);
  });
});
