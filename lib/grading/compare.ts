// Pure comparison of graded values, on the host, after they were copied out of the sandbox as
// JSON text. Nothing here calls a method of a compared value: the values are what JSON.parse made
// (plain objects, arrays, strings, numbers, booleans, null), walked by own keys only, so a
// "__proto__" key is data, never a prototype.

/** |actual − expected| ≤ abs + rel·|expected| for every number; other values must be equal. */
export interface Tolerance {
  abs?: number;
  rel?: number;
}

export const DEFAULT_TOLERANCE: Required<Tolerance> = { abs: 1e-9, rel: 1e-9 };

/** Deeper values are refused rather than walked (a hostile value could be nested 500,000 deep). */
export const MAX_COMPARE_DEPTH = 64;

export type Comparison = { equal: true } | { equal: false; reason: string };

/** Parses JSON text copied out of the sandbox; `undefined` stands for JavaScript's undefined. */
export function parseCopiedValue(json: string): { ok: true; value: unknown } | { ok: false } {
  if (json === "undefined") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch {
    return { ok: false };
  }
}

const kindOf = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * Compares a plain value (from `parseCopiedValue`) with the expected one. NaN and ±Infinity
 * travel through JSON as null, so a null matches an expected non-finite number. The reason names
 * the path and kinds only, never a value: it may be shown where hidden expectations must not be.
 */
export function comparePlain(actual: unknown, expected: unknown, tolerance: Tolerance = DEFAULT_TOLERANCE): Comparison {
  const abs = tolerance.abs ?? DEFAULT_TOLERANCE.abs;
  const rel = tolerance.rel ?? DEFAULT_TOLERANCE.rel;
  const walk = (a: unknown, e: unknown, path: string, depth: number): Comparison => {
    if (depth > MAX_COMPARE_DEPTH) return { equal: false, reason: `${path || "the value"} is nested too deeply` };
    if (typeof e === "number") {
      if (!Number.isFinite(e)) return a === null || Object.is(a, e) ? { equal: true } : { equal: false, reason: `${path || "the value"} differs` };
      if (typeof a !== "number") return { equal: false, reason: `${path || "the value"} should be a number, not ${kindOf(a)}` };
      return Math.abs(a - e) <= abs + rel * Math.abs(e) ? { equal: true } : { equal: false, reason: `${path || "the value"} is not within the tolerance` };
    }
    if (e === null || typeof e !== "object") {
      return a === e ? { equal: true } : { equal: false, reason: `${path || "the value"} differs` };
    }
    if (Array.isArray(e)) {
      if (!Array.isArray(a)) return { equal: false, reason: `${path || "the value"} should be an array, not ${kindOf(a)}` };
      if (a.length !== e.length) return { equal: false, reason: `${path || "the array"} has length ${a.length}, expected ${e.length}` };
      for (let i = 0; i < e.length; i++) {
        const r = walk(a[i], e[i], `${path}[${i}]`, depth + 1);
        if (!r.equal) return r;
      }
      return { equal: true };
    }
    if (a === null || typeof a !== "object" || Array.isArray(a)) return { equal: false, reason: `${path || "the value"} should be an object, not ${kindOf(a)}` };
    const eKeys = Object.keys(e);
    const aKeys = Object.keys(a);
    if (aKeys.length !== eKeys.length) return { equal: false, reason: `${path || "the object"} has other keys than expected` };
    for (const key of eKeys) {
      if (!Object.prototype.hasOwnProperty.call(a, key)) return { equal: false, reason: `${path || "the object"} lacks a key` };
      const r = walk((a as Record<string, unknown>)[key], (e as Record<string, unknown>)[key], `${path}.${key.length > 40 ? key.slice(0, 40) + "…" : key}`, depth + 1);
      if (!r.equal) return r;
    }
    return { equal: true };
  };
  return walk(actual, expected, "", 0);
}
