import { describe, expect, it } from "vitest";
import { comparePlain, parseCopiedValue } from "@/lib/grading/compare";

describe("comparePlain", () => {
  it("accepts numbers within the tolerance and refuses others", () => {
    expect(comparePlain(0.7500000001, 0.75).equal).toBe(true);
    expect(comparePlain(0.76, 0.75).equal).toBe(false);
    expect(comparePlain(0.76, 0.75, { abs: 0.02 }).equal).toBe(true);
    expect(comparePlain(101, 100, { rel: 0.02 }).equal).toBe(true);
    expect(comparePlain("0.75", 0.75).equal).toBe(false);
  });

  it("walks arrays and objects by own keys, lengths and kinds", () => {
    expect(comparePlain([1, [2, 3]], [1, [2, 3]]).equal).toBe(true);
    expect(comparePlain([1, 2], [1, 2, 3])).toEqual({ equal: false, reason: "the array has length 2, expected 3" });
    expect(comparePlain({ a: 1, b: [true, null] }, { b: [true, null], a: 1 }).equal).toBe(true);
    expect(comparePlain({ a: 1, extra: 2 }, { a: 1 }).equal).toBe(false);
    expect(comparePlain({ a: 1 }, [1]).equal).toBe(false);
  });

  it("matches an expected NaN or Infinity with the null JSON made of it", () => {
    expect(comparePlain(null, Number.NaN).equal).toBe(true);
    expect(comparePlain(0, Number.NaN).equal).toBe(false);
  });

  it("never names a value in its reason (reasons may be shown beside hidden cases)", () => {
    const r = comparePlain({ secret: 123456 }, { secret: 654321 });
    expect(r.equal).toBe(false);
    expect(JSON.stringify(r)).not.toMatch(/123456|654321/);
  });

  it("refuses values nested deeper than it walks instead of overflowing the stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(comparePlain(deep, deep).equal).toBe(false);
  });

  it("treats a __proto__ key in copied JSON as data: no host prototype changes", () => {
    const parsed = parseCopiedValue('{"__proto__": {"polluted": true}, "a": 1}');
    expect(parsed.ok).toBe(true);
    const value = (parsed as { value: unknown }).value;
    expect(comparePlain(value, { a: 1 }).equal).toBe(false);
    expect(comparePlain(value, JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')).equal).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
  });

  it("reads the sandbox's undefined marker and refuses text that is not JSON", () => {
    expect(parseCopiedValue("undefined")).toEqual({ ok: true, value: undefined });
    expect(parseCopiedValue("{not json")).toEqual({ ok: false });
  });
});
