// Reading submissions: every refusal names the problem and the first place it occurs.
import { describe, expect, it } from "vitest";
import { isChallengeProblem, type ChallengeProblem } from "@/lib/challenges/errors";
import { alignPredictions, canonicalId, MAX_PREDICTIONS_BYTES, parsePredictionsCsv } from "@/lib/challenges/predictions";

const ids = ["1", "2", "3", "10"];
const target = { ids, idColumn: "id" };

function problem(fn: () => unknown): ChallengeProblem {
  try {
    fn();
  } catch (e) {
    if (isChallengeProblem(e)) return e;
    throw e;
  }
  throw new Error("no problem raised");
}

describe("parsePredictionsCsv", () => {
  it("returns predictions in the test set's order whatever the file's order", () => {
    const p = parsePredictionsCsv("id,prediction\n10,0.4\n2,0.2\n1,0.1\n3,0.3\n", target);
    expect([...p]).toEqual([0.1, 0.2, 0.3, 0.4]);
  });

  it("accepts CRLF, a BOM, quoted fields, blank lines, the id column's own name and numeric ids written as 2.0", () => {
    const p = parsePredictionsCsv('\uFEFFid,"score"\r\n"1",1e-3\r\n2.0, .5\r\n\r\n3,-1\r\n10,+2\r\n', target);
    expect([...p]).toEqual([0.001, 0.5, -1, 2]);
    const q = parsePredictionsCsv("signal,prediction\n1,0\n2,1\n3,0\n10,1", { ids, idColumn: "signal" });
    expect([...q]).toEqual([0, 1, 0, 1]);
    expect(canonicalId(" 007 ")).toBe("7");
    expect(canonicalId("a-7")).toBe("a-7");
  });

  it.each([
    ["empty", "", {}],
    ["empty", "id,prediction\n", {}],
    ["badHeader", "prediction\n0.1\n0.2\n0.3\n0.4\n", {}],
    ["badHeader", "id,prediction,extra\n1,0.1,x\n", {}],
    ["wrongLength", "id,prediction\n1,0.1\n2,0.2\n3,0.3\n", { expected: 4, got: 3 }],
    ["wrongLength", "id,prediction\n1,0.1\n2,0.2\n3,0.3\n10,1\n11,1\n", { expected: 4, got: 5 }],
    ["unknownId", "id,prediction\n1,0.1\n2,0.2\n3,0.3\n99,0.4\n", { line: 5, id: "99" }],
    ["duplicateId", "id,prediction\n1,0.1\n2,0.2\n2,0.3\n10,0.4\n", { line: 4, id: "2" }],
    ["notANumber", "id,prediction\n1,0.1\n2,NaN\n3,0.3\n10,0.4\n", { line: 3, id: "2" }],
    ["notFinite", "id,prediction\n1,0.1\n2,Infinity\n3,0.3\n10,0.4\n", { line: 3 }],
    ["notFinite", "id,prediction\n1,0.1\n2,1e999\n3,0.3\n10,0.4\n", { line: 3 }],
    ["text", "id,prediction\n1,0.1\n2,0.2\n3,fraude\n10,0.4\n", { line: 4, id: "3", value: "fraude" }],
    ["badRow", "id,prediction\n1,0.1\n2,0,5\n3,0.3\n10,0.4\n", { line: 3 }],
    ["missingValue", "id,prediction\n1,0.1\n2,\n3,0.3\n10,0.4\n", { line: 3 }],
    ["badRow", "id,prediction\n1,0.1\n2 0.2\n3,0.3\n10,0.4\n", { line: 3 }],
  ] as const)("refuses %s: %j", (code, text, params) => {
    const p = problem(() => parsePredictionsCsv(text, target));
    expect(p.code).toBe(code);
    expect(p.params).toMatchObject(params);
    expect(p.message.length).toBeGreaterThan(10);
  });

  it("refuses a file over 5 MB before reading it", () => {
    const big = "id,prediction\n" + "1,0.1\n".repeat(Math.ceil(MAX_PREDICTIONS_BYTES / 6) + 1);
    expect(problem(() => parsePredictionsCsv(big, target)).code).toBe("tooLarge");
    // multi-byte characters count as bytes
    const wide = "id,prediction\n" + "ñ".repeat(MAX_PREDICTIONS_BYTES / 2 + 10);
    expect(problem(() => parsePredictionsCsv(wide, target)).code).toBe("tooLarge");
  });
});

describe("alignPredictions", () => {
  it("takes numbers in feature-file order, booleans as 0/1", () => {
    expect([...alignPredictions([0.1, 0.2, true, false], target)]).toEqual([0.1, 0.2, 1, 0]);
  });

  it("takes { id, prediction } rows in any order, numeric or text ids", () => {
    const rows = [
      { id: 10, prediction: 4 },
      { id: "3", prediction: 3 },
      { id: "1.0", prediction: 1 },
      { id: 2, prediction: 2 },
    ];
    expect([...alignPredictions(rows, target)]).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ["empty", [], {}],
    ["wrongLength", [0.1, 0.2, 0.3], { expected: 4, got: 3 }],
    ["notANumber", [0.1, NaN, 0.3, 0.4], { position: 2, id: "2" }],
    ["notANumber", [0.1, "NaN", 0.3, 0.4], { position: 2 }],
    ["notFinite", [0.1, Infinity, 0.3, 0.4], { position: 2 }],
    ["notFinite", [0.1, "-Infinity", 0.3, 0.4], { position: 2 }],
    ["text", [0.1, "0.2", 0.3, 0.4], { position: 2, value: "0.2" }],
    ["text", [0.1, [0.2, 1], 0.3, 0.4], { position: 2 }],
    ["missingValue", [0.1, null, 0.3, 0.4], { position: 2 }],
    ["badRow", [0.1, { id: 2, prediction: 0.2 }, 0.3, 0.4], { line: 2 }],
    ["unknownId", [{ id: 1, prediction: 0 }, { id: 2, prediction: 0 }, { id: 3, prediction: 0 }, { id: 4, prediction: 0 }], { id: "4" }],
    ["duplicateId", [{ id: 1, prediction: 0 }, { id: 2, prediction: 0 }, { id: "2", prediction: 0 }, { id: 10, prediction: 0 }], { id: "2" }],
    ["badRow", [{ id: 1, prediction: 0 }, { id: { x: 1 }, prediction: 0 }, { id: 3, prediction: 0 }, { id: 10, prediction: 0 }], { line: 2 }],
    ["text", [{ id: 1, prediction: "yes" }, { id: 2, prediction: 0 }, { id: 3, prediction: 0 }, { id: 10, prediction: 0 }], { id: "1" }],
  ] as const)("refuses %s: %j", (code, values, params) => {
    const p = problem(() => alignPredictions(values as unknown as unknown[], target));
    expect(p.code).toBe(code);
    expect(p.params).toMatchObject(params);
  });
});
