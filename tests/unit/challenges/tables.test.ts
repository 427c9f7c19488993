// From a labelled CSV to hidden labels, a features file without the target and a train file.
import { describe, expect, it } from "vitest";
import { isChallengeProblem } from "@/lib/challenges/errors";
import { inspectCsv, prepareHiddenTable, prepareUploadedTable } from "@/lib/challenges/tables";
import { parseCsv } from "@/lib/datasets/csv";

const rows = ["code,amount,city,label"];
for (let i = 0; i < 100; i++) rows.push(`C${String(i).padStart(3, "0")},${i * 1.5},"Paraná, ER",${i % 5 === 0 ? "fraud" : "ok"}`);
const csv = rows.join("\n") + "\n";

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (isChallengeProblem(e)) return e.code;
    throw e;
  }
  return null;
};

describe("challenge tables", () => {
  it("inspects columns, id candidates and label values for the upload form", () => {
    const info = inspectCsv(csv);
    expect(info.columns).toEqual(["code", "amount", "city", "label"]);
    expect(info.rows).toBe(100);
    expect(info.uniqueColumns).toEqual(["code", "amount"]);
    expect(info.numericColumns).toEqual(["amount"]);
    expect(info.values.label).toEqual(["fraud", "ok"]);
  });

  it("splits an upload: stratified hidden part, features without the target, train with it", () => {
    const p = prepareUploadedTable(csv, { targetColumn: "label", idColumn: "code" }, { testFraction: 0.3, seedText: "ch1", stratify: true });
    expect(p.ids).toHaveLength(30);
    expect(p.labels.filter((l) => l === "fraud")).toHaveLength(6);
    expect(p.trainRows).toBe(70);
    const features = parseCsv(p.featuresCsv, { infer: false });
    expect(features.columns).toEqual(["code", "amount", "city"]);
    expect(features.rows.map((r) => r.code)).toEqual(p.ids);
    expect(features.rows[0].city).toBe("Paraná, ER");
    const train = parseCsv(p.trainCsv!, { infer: false });
    expect(train.columns).toEqual(["code", "amount", "city", "label"]);
    expect(train.rows.filter((r) => p.ids.includes(String(r.code)))).toEqual([]);
    // deterministic by seed
    expect(prepareUploadedTable(csv, { targetColumn: "label", idColumn: "code" }, { testFraction: 0.3, seedText: "ch1", stratify: true }).ids).toEqual(p.ids);
    expect(prepareUploadedTable(csv, { targetColumn: "label", idColumn: "code" }, { testFraction: 0.3, seedText: "ch2", stratify: true }).ids).not.toEqual(p.ids);
  });

  it("generates ids 1…n when there is no id column, and keeps numeric targets as numbers", () => {
    const reg = "x,y\n" + Array.from({ length: 40 }, (_, i) => `${i},${i * 2}`).join("\n");
    const p = prepareUploadedTable(reg, { targetColumn: "y", idColumn: null }, { testFraction: 0.25, seedText: "r", stratify: false });
    expect(p.idColumn).toBe("id");
    expect(p.ids).toHaveLength(10);
    expect(p.labels.every((l) => typeof l === "number")).toBe(true);
    expect(p.featuresCsv.split("\n")[0]).toBe("id,x");
    const all = prepareHiddenTable("id,x\n" + "5,1\n", { targetColumn: "x", idColumn: null });
    expect(all.idColumn).toBe("row_id");
  });

  it("refuses what cannot become a challenge", () => {
    const spec = { targetColumn: "label", idColumn: "code" };
    const split = { testFraction: 0.3, seedText: "s", stratify: true };
    expect(code(() => prepareUploadedTable(csv, { ...spec, targetColumn: "nope" }, split))).toBe("noTargetColumn");
    expect(code(() => prepareUploadedTable(csv, { ...spec, idColumn: "nope" }, split))).toBe("noIdColumn");
    expect(code(() => prepareUploadedTable(csv, { ...spec, idColumn: "label" }, split))).toBe("noIdColumn");
    expect(code(() => prepareUploadedTable(csv, { ...spec, idColumn: "city" }, split))).toBe("idNotUnique");
    expect(code(() => prepareUploadedTable(csv.replace("C001,1.5,\"Paraná, ER\",ok", "C001,1.5,x,"), spec, split))).toBe("missingTarget");
    expect(code(() => prepareUploadedTable("a,label\n1,x\n2,y\n", { targetColumn: "label", idColumn: null }, split))).toBe("tooFewRows");
    expect(code(() => prepareUploadedTable("", spec, split))).toBe("empty");
    expect(code(() => prepareUploadedTable('a,b\n"1,2\n', spec, split))).toBe("badCsv");
    expect(code(() => prepareUploadedTable("a,a\n1,2\n", spec, split))).toBe("badCsv");
  });
});
