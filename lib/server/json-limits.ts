// Bounds on JSON a client sends, checked before anything recursive touches it: JSON.parse copes
// with 20,000 levels of nesting, but String(), JSON.stringify, zod and Prisma then overflow the
// stack (a 500). All checks here are loops with explicit state, never recursion.

/** Nesting REST and tRPC bodies may have; MLflow's own messages nest 4 deep. */
export const MAX_JSON_DEPTH = 32;

/**
 * The deepest `[`/`{` nesting in JSON text, counted outside strings; stops counting (and returns
 * limit + 1) as soon as `limit` is exceeded. Invalid JSON is left to JSON.parse to report.
 */
export function jsonTextDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return max;
}

/** The nesting depth of a parsed value (a scalar is 0, `[]` is 1), stopping past `limit`. */
export function valueDepth(value: unknown, limit = Infinity): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    const depth = d + 1;
    if (depth > max) {
      max = depth;
      if (max > limit) return max;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === "object" && child !== null) stack.push([child, depth]);
  }
  return max;
}

/** A NUL character or a UTF-16 surrogate without its pair: neither can be stored as text in PostgreSQL. */
export function isStorableText(s: string): boolean {
  return !s.includes("\u0000") && s.isWellFormed();
}

/**
 * The path (`tags[0].value`) of the first string, object key included, that is not storable
 * text, or null. Walks with an explicit stack; call it on values whose depth was bounded.
 */
export function findUnstorableString(value: unknown, path = ""): string | null {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length) {
    const [v, p] = stack.pop()!;
    if (typeof v === "string") {
      if (!isStorableText(v)) return p || "(value)";
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${p}[${i}]`]);
    } else if (typeof v === "object" && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i];
        const at = p ? `${p}.${k}` : k;
        if (!isStorableText(k)) return `${p ? `${p}.` : ""}(a key)`;
        stack.push([child, at]);
      }
    }
  }
  return null;
}
