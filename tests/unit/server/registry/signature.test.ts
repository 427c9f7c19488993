// The serving signature stored with a model version: validated, bounded, normalized, round-tripped.
import { describe, expect, it } from "vitest";
import { parseSignatureOrThrow, SIGNATURE_LIMITS, signatureFromText, signatureToText } from "@/lib/server/services/registry/signature";
import { parseVersion, validateAlias, validateModelName } from "@/lib/server/services/registry/values";

const good = { inputs: ["amount", "hour"], outputs: ["fraud"], preprocessing: { type: "standard_scaler", mean: [50, 12], scale: [20, 6] }, threshold: 0.4 };

describe("model signature", () => {
  it("keeps a valid signature and round-trips it through its stored text", () => {
    const s = parseSignatureOrThrow(good);
    expect(s).toEqual(good);
    expect(signatureFromText(signatureToText(s))).toEqual(good);
    expect(parseSignatureOrThrow({ inputs: ["x"], outputs: ["y"], preprocessing: null, threshold: null })).toEqual({ inputs: ["x"], outputs: ["y"] });
    expect(signatureFromText(null)).toBeNull();
    expect(signatureFromText("{broken")).toBeNull();
  });

  it.each([
    ["no inputs", { ...good, inputs: [] }],
    ["duplicate inputs", { ...good, inputs: ["a", "a"] }],
    ["duplicate outputs", { ...good, outputs: ["y", "y"] }],
    ["scaler of the wrong length", { ...good, preprocessing: { type: "standard_scaler", mean: [1], scale: [1] } }],
    ["zero scale", { ...good, preprocessing: { type: "standard_scaler", mean: [1, 2], scale: [1, 0] } }],
    ["NaN mean", { ...good, preprocessing: { type: "standard_scaler", mean: [NaN, 2], scale: [1, 1] } }],
    ["unknown preprocessing", { ...good, preprocessing: { type: "pca", mean: [1, 2], scale: [1, 1] } }],
    ["unknown key", { ...good, labels: ["a"] }],
    ["string threshold", { ...good, threshold: "0.5" }],
    ["too many features", { inputs: Array.from({ length: SIGNATURE_LIMITS.features + 1 }, (_, i) => `f${i}`), outputs: ["y"] }],
    ["a long feature name", { inputs: ["x".repeat(SIGNATURE_LIMITS.nameLength + 1)], outputs: ["y"] }],
    ["not an object", "inputs=a,b"],
    ["an array", [good]],
  ])("refuses %s", (_label, raw) => {
    expect(() => parseSignatureOrThrow(raw)).toThrow(expect.objectContaining({ code: "invalidInput" }));
  });
});

describe("registry values", () => {
  it("parses versions as MLflow does: decimal integers from 1, as strings or numbers", () => {
    expect(parseVersion("3")).toBe(3);
    expect(parseVersion(12)).toBe(12);
    for (const bad of ["abc", "1.5", "-1", "0", "1e3", " 1", "9".repeat(20), 1.5, true, [1], { v: 1 }, ""])
      expect(() => parseVersion(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: "invalidInput" }));
  });

  it("refuses reserved, malformed and over-long aliases and names", () => {
    expect(validateAlias("champion")).toBe("champion");
    expect(validateAlias("blue-green_2")).toBe("blue-green_2");
    for (const bad of ["latest", "LATEST", "v3", "V10", "a b", "a/b", "", "x".repeat(256), 3]) expect(() => validateAlias(bad)).toThrow();
    expect(validateModelName("fraud detector (v2)")).toBe("fraud detector (v2)");
    for (const bad of ["", " ", "a/b", "x".repeat(257), 1, null]) expect(() => validateModelName(bad)).toThrow();
  });
});
