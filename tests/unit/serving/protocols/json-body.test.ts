// The bounded body helpers: size, the non-finite token scan, and TF Serving-style quoting of values
// (tensorflow/serving tensorflow_serving/util/json_tensor.cc JsonValueToDebugString, JsonTypeString).
import { describe, expect, it } from "vitest";
import { bodySizeError, jsonDebugString, jsonTypeString, MAX_PREDICT_BODY_BYTES, nonFiniteTokenOffset, parseJsonObjectOrThrow } from "@/lib/serving/protocols/json-body";

describe("json-body", () => {
  it("accepts a body up to the limit and refuses one past it with 413", () => {
    expect(bodySizeError(MAX_PREDICT_BODY_BYTES)).toBeNull();
    const e = bodySizeError(MAX_PREDICT_BODY_BYTES + 1)!;
    expect([e.status, e.code]).toEqual([413, "RESOURCE_EXHAUSTED"]);
  });

  it("finds NaN and Infinity tokens only outside strings", () => {
    expect(nonFiniteTokenOffset('{"a": [1, NaN]}')).toBe(10);
    expect(nonFiniteTokenOffset('{"a": -Infinity}')).toBe(6);
    expect(nonFiniteTokenOffset('{"a": Infinity}')).toBe(6);
    expect(nonFiniteTokenOffset('{"NaN": "Infinity \\" NaN"}')).toBe(-1);
    expect(nonFiniteTokenOffset('{"a": nan}')).toBe(-1);
  });

  it("parses objects only, with bounded nesting", () => {
    expect(parseJsonObjectOrThrow('{"a": [[1]]}')).toEqual({ a: [[1]] });
    expect(() => parseJsonObjectOrThrow('"text"')).toThrow('JSON Value: "text" Is not object');
    expect(() => parseJsonObjectOrThrow("null")).toThrow("JSON Value: null Is not object");
    expect(() => parseJsonObjectOrThrow('{"a": [[[1]]]}', 3)).toThrow("JSON Parse error: The document nests deeper than 3 levels");
    // Brackets inside strings are not nesting.
    expect(parseJsonObjectOrThrow(`{"a": "${"[".repeat(100)}"}`, 2)).toEqual({ a: "[".repeat(100) });
  });

  it("names JSON types as rapidjson does", () => {
    expect([null, false, true, {}, [], "", 1].map(jsonTypeString)).toEqual(["Null", "False", "True", "Object", "Array", "String", "Number"]);
  });

  it("quotes values on one line, cut at 256 characters, in time independent of the value's size", () => {
    expect(jsonDebugString({ instances: [[1, 2.5], { b64: "eA==" }], s: "x", n: null, t: true })).toBe('{"instances": [[1, 2.5], {"b64": "eA=="}], "s": "x", "n": null, "t": true}');
    expect(jsonDebugString([NaN, -Infinity])).toBe("[NaN, -Infinity]");
    const huge = Array.from({ length: 1_000_000 }, (_, i) => i);
    const start = performance.now();
    const text = jsonDebugString({ instances: huge });
    expect(performance.now() - start).toBeLessThan(100);
    expect(text).toHaveLength(256);
    expect(text.startsWith('{"instances": [0, 1, 2, 3')).toBe(true);
    expect(jsonDebugString("y".repeat(10_000))).toHaveLength(256);
  });
});
