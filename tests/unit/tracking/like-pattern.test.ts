import { describe, expect, it } from "vitest";
import { compileLike, LIKE_LIMITS } from "@/lib/server/services/tracking/like-pattern";
import { compileFilter, parseFilter, parseOrderBy, type Searchable } from "@/lib/server/services/tracking/search-filter";

// The matcher this module replaced, kept here as the reference for patterns without escapes.
function oldLike(pattern: string, insensitive: boolean): (v: string) => boolean {
  let re = "";
  for (const ch of pattern) {
    if (ch === "%") re += "[\\s\\S]*";
    else if (ch === "_") re += "[\\s\\S]";
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  const r = new RegExp(`^${re}$`, insensitive ? "i" : "");
  return (v) => r.test(v);
}

const withTag = (value: string): Searchable => ({ attributes: {}, params: {}, tags: { x: value }, metrics: {} });

/** Milliseconds one filter takes over one run, the filter parsed and compiled outside the timing. */
function timeFilter(filter: string, value: string): { ms: number; matched: boolean } {
  const test = compileFilter(parseFilter(filter));
  const run = withTag(value);
  test(withTag("warm")); // first ILIKE builds the fold table; not part of a request's steady cost
  // The best of three: the match's cost is the same each time; a busy machine only adds to one.
  let ms = Infinity;
  let matched = false;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    matched = test(run);
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, matched };
}

describe("compileLike", () => {
  it.each([
    ["abc", "abc", true],
    ["abc", "abcd", false],
    ["a%", "abc", true],
    ["%c", "abc", true],
    ["%b%", "abc", true],
    ["%", "", true],
    ["", "", true],
    ["", "a", false],
    ["a_c", "abc", true],
    ["a_c", "ac", false],
    ["%a%a%b", "xaaab", true],
    ["%a%a%b", "xab", false],
    ["a%b%c", "abc", true],
    ["a%b%c", "ac", false],
    ["ab%ba", "aba", false], // prefix and suffix may not overlap
    ["ab%ba", "abba", true],
    ["%_%_%", "a", false],
    ["%_%_%", "ab", true],
    ["_%_a", "xya", true],
    ["%x_z%", "x\nz", true], // `_` is any code unit, newline included
    ["100\\%", "100%", true],
    ["100\\%", "1000", false],
    ["a\\_b", "a_b", true],
    ["a\\_b", "axb", false],
    ["a\\\\b", "a\\b", true],
    ["\\a", "a", true],
  ])("LIKE %j on %j → %s", (pattern, value, expected) => {
    expect(compileLike(pattern, false)(value)).toBe(expected);
  });

  it("ILIKE folds case as the old /i RegExp did, code unit by code unit", () => {
    expect(compileLike("ADAM%", true)("adamw")).toBe(true);
    expect(compileLike("%Ñu", true)("ÑÑU")).toBe(true);
    expect(compileLike("straße", true)("STRASSE")).toBe(false); // ß has no one-unit upper case
    expect(compileLike("K", true)("\u212a")).toBe(false); // Kelvin sign folds to ASCII K only under /u
    expect(compileLike("ADAM%", false)("adamw")).toBe(false);
  });

  it("agrees with the old RegExp matcher on random patterns and values", () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pick = (alphabet: string, max: number) => Array.from({ length: rand(max + 1) }, () => alphabet[rand(alphabet.length)]).join("");
    let checked = 0;
    for (let i = 0; i < 4000; i++) {
      const pattern = pick("aAb%_.*(é", 7);
      const value = pick("aAbB.*(\néÉ", 9);
      for (const insensitive of [false, true]) {
        expect(compileLike(pattern, insensitive)(value), `${insensitive ? "ILIKE" : "LIKE"} ${JSON.stringify(pattern)} on ${JSON.stringify(value)}`).toBe(oldLike(pattern, insensitive)(value));
        checked++;
      }
    }
    expect(checked).toBe(8000);
  });

  it("agrees with the old matcher on segments with `_` longer than one 32-bit word", () => {
    const seg = "a_".repeat(20) + "b"; // 41 units: the Shift-And state spans two words
    const hit = "x".repeat(50) + "a?".repeat(20) + "b" + "y".repeat(50);
    for (const p of [`%${seg}%`, `x%${seg}%y`, `%${seg}`]) {
      for (const v of [hit, hit.replace("b", "c"), "a?".repeat(20) + "b"]) expect(compileLike(p, false)(v)).toBe(oldLike(p, false)(v));
    }
  });

  it("refuses over-long patterns, too many % and a trailing escape", () => {
    expect(() => compileLike("a".repeat(LIKE_LIMITS.patternLength + 1), false)).toThrow(/at most 250/);
    expect(() => compileLike("%a".repeat(LIKE_LIMITS.percentWildcards + 1), false)).toThrow(/more than 20 '%' wildcards/);
    expect(() => compileLike("abc\\", false)).toThrow(/escape character/);
    expect(compileLike("%a".repeat(LIKE_LIMITS.percentWildcards), false)("a".repeat(20))).toBe(true);
  });
});

describe("LIKE in run search runs in linear time", () => {
  const value = "a".repeat(8000); // MLflow's longest tag value, no `b`: every placement is tried

  it("tags.x LIKE '%a%a%a%b' over an 8,000-character value answers in under 50 ms", () => {
    const r = timeFilter("tags.x LIKE '%a%a%a%b'", value);
    expect(r.matched).toBe(false);
    expect(r.ms).toBeLessThan(50);
    expect(timeFilter("tags.x LIKE '%a%a%a%b'", `${value}b`).matched).toBe(true);
  });

  it("the ILIKE variant, and a 20-wildcard pattern with `_` segments, also stay under 50 ms", () => {
    const ilike = timeFilter("tags.x ILIKE '%A%a%A%B'", value);
    expect(ilike.matched).toBe(false);
    expect(ilike.ms).toBeLessThan(50);
    const worst = timeFilter(`tags.x LIKE '${"%a_a_a_a".repeat(18)}%${"a_".repeat(30)}b%'`, value);
    expect(worst.matched).toBe(false);
    expect(worst.ms).toBeLessThan(50);
  });

  it("refuses over-long LIKE patterns when the filter is parsed, as INVALID_PARAMETER_VALUE input", () => {
    expect(() => parseFilter(`tags.x LIKE '${"%a".repeat(21)}'`)).toThrow(expect.objectContaining({ code: "invalidInput", message: expect.stringMatching(/wildcards/) }));
    expect(() => parseFilter(`tags.x ILIKE '${"a".repeat(251)}'`)).toThrow(expect.objectContaining({ code: "invalidInput" }));
  });
});

describe("the filter and order_by parsers never backtrack on long input", () => {
  it("a 100,000-digit number followed by a letter is refused in linear time", () => {
    const t0 = performance.now();
    expect(() => parseFilter(`metrics.acc > ${"1".repeat(100_000)}x`)).toThrow(/unexpected character|numeric/);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(parseFilter("metrics.a > -1.5e-3 and metrics.b < .5 and metrics.c >= 2.")).toEqual([
      { entity: "metric", key: "a", op: ">", value: -1.5e-3 },
      { entity: "metric", key: "b", op: "<", value: 0.5 },
      { entity: "metric", key: "c", op: ">=", value: 2 },
    ]);
    expect(() => parseFilter("metrics.a > 1.5.3")).toThrow(/unexpected character/);
  });

  it("an order_by term with 100,000 inner spaces is refused in linear time; ASC/DESC still parse", () => {
    const t0 = performance.now();
    expect(() => parseOrderBy([`metrics.a${" ".repeat(100_000)}b`])).toThrow(/Invalid order_by/);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(parseOrderBy(["metrics.acc desc", "  params.lr  ", "attributes.start_time ASC"])).toEqual([
      { entity: "metric", key: "acc", asc: false },
      { entity: "param", key: "lr", asc: true },
      { entity: "attribute", key: "start_time", asc: true },
    ]);
  });
});
