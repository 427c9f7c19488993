import { expect } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Loads tests/fixtures/sklearn/<name>.json, turning "inf"/"-inf" back into numbers and null into NaN. */
export function fixture<T = any>(name: string): T {
  const path = fileURLToPath(new URL(`../../fixtures/sklearn/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(path, "utf8"), (_k, v) => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === null ? NaN : v));
}

/** Deep numeric comparison with absolute+relative tolerance (NaN equals NaN). */
export function expectClose(actual: unknown, expected: unknown, tol = 1e-9, path = "$"): void {
  if (typeof expected === "number") {
    expect(typeof actual, `${path} type`).toBe("number");
    const a = actual as number;
    if (Number.isNaN(expected)) {
      expect(Number.isNaN(a), `${path}: expected NaN, got ${a}`).toBe(true);
      return;
    }
    if (!Number.isFinite(expected)) {
      expect(a, path).toBe(expected);
      return;
    }
    const ok = Math.abs(a - expected) <= tol * Math.max(1, Math.abs(expected));
    expect(ok, `${path}: ${a} vs expected ${expected}`).toBe(true);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is array`).toBe(true);
    const a = actual as unknown[];
    expect(a.length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => expectClose(a[i], e, tol, `${path}[${i}]`));
    return;
  }
  if (expected && typeof expected === "object") {
    for (const [k, v] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], v, tol, `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}
