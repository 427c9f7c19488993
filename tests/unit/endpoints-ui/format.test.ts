import { describe, expect, it } from "vitest";
import { describeState } from "@/components/endpoints/describe";
import { curlSnippet, endpointPageHref, formatRatio, fullestBin, modelRefFromSegments, parsePercent, predictUrl } from "@/components/endpoints/format";

describe("parsePercent", () => {
  it("accepts integers 0..100 with surrounding spaces", () => {
    expect(parsePercent("0")).toBe(0);
    expect(parsePercent(" 20 ")).toBe(20);
    expect(parsePercent("100")).toBe(100);
  });
  it("refuses out of range, fractions, signs, text and empty input", () => {
    for (const bad of ["150", "101", "-1", "2.5", "1e2", "abc", "", " ", "20%", "0x10", "1000"]) expect(parsePercent(bad)).toBeNull();
  });
});

describe("model references in URLs", () => {
  it("keeps <ownerId>/<name> one path segment in serving URLs", () => {
    expect(predictUrl("http://h:1", "u1/fraud")).toBe("http://h:1/v1/models/u1%2Ffraud:predict");
    expect(predictUrl("http://h:1", "fraud model")).toBe("http://h:1/v1/models/fraud%20model:predict");
    expect(curlSnippet("http://h", "m", 2)).toContain(`{"instances": [[0, 0]]}`);
    expect(curlSnippet("http://h", "m", 2)).toContain("Authorization: Bearer $CUADERNO_TOKEN");
  });
  it("maps the page's segments back to the reference and refuses malformed ones", () => {
    expect(endpointPageHref("u1/fraud x")).toBe("/models/u1/fraud%20x");
    expect(modelRefFromSegments(["fraud"])).toBe("fraud");
    expect(modelRefFromSegments(["u1", "fraud%20x"])).toBe("u1/fraud x");
    expect(modelRefFromSegments([])).toBeNull();
    expect(modelRefFromSegments(["a", "b", "c"])).toBeNull();
    expect(modelRefFromSegments([""])).toBeNull();
  });
});

describe("formats", () => {
  it("formats ratios per locale and blanks missing values", () => {
    expect(formatRatio(0.25, "en")).toBe("25%");
    expect(formatRatio(null, "es")).toBe("—");
  });
  it("finds the fullest histogram bin", () => {
    expect(fullestBin([0, 3, 5, 5, 1])).toBe(2);
    expect(fullestBin([0, 0])).toBe(-1);
  });
  it("describes a state for the audit list", () => {
    const base = { visibility: "private", mode: "single", stableVersion: 1, candidateVersion: null, canaryPercent: 0, abPercent: 50, liveColor: "blue" };
    const id = (s: string) => s;
    expect(describeState(base, id, id)).toBe("single · v1 · private");
    expect(describeState({ ...base, mode: "canary", candidateVersion: 2, canaryPercent: 20 }, id, id)).toBe("canary · v1 → v2 · 20 % · private");
  });
});
