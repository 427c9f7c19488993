// Bounds on JSON a client sends, checked before anything recursive touches it: JSON.parse copes
// with 20,000 levels of nesting, but String(), JSON.stringify, zod and Prisma then overflow the
// stack (a 500). All checks here are loops with explicit state, never recursion.

/** Nesting REST and tRPC bodies may have; MLflow's own messages nest 4 deep. */
export const MAX_JSON_DEPTH = 32;

export interface JsonTextScan {
  /** The deepest `[`/`{` nesting outside strings; limit + 1 once past `limit` (the scan stops there). */
  depth: number;
  /**
   * Whether a string may hold a NUL or an unpaired surrogate once parsed: a `\u0000` or
   * `\uDxxx` escape, or a raw NUL or surrogate code unit. False proves none does (JSON can
   * express them no other way), so the walk over the parsed value (findUnstorableString) is
   * only needed when true; a paired `\uD83D\uDE00` is true too, and the walk then clears it.
   */
  mayBeUnstorable: boolean;
}

/**
 * One pass over JSON text, counting nesting and looking for what could decode to unstorable
 * text. Invalid JSON is left to JSON.parse to report.
 */
export function scanJsonText(text: string, limit = Infinity): JsonTextScan {
  let depth = 0;
  let max = 0;
  let inString = false;
  let suspect = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) {
        if (text.charCodeAt(++i) === 0x75 /* u */) {
          const h = text.charCodeAt(i + 1);
          if (h === 0x44 /* D */ || h === 0x64 /* d */ || text.startsWith("0000", i + 1)) suspect = true;
        }
      } else if (c === 0x22 /* " */) inString = false;
      else if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) suspect = true;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return { depth: max, mayBeUnstorable: suspect };
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
    else if (c === 0) suspect = true;
  }
  return { depth: max, mayBeUnstorable: suspect };
}

/**
 * The deepest `[`/`{` nesting in JSON text, counted outside strings; stops counting (and returns
 * limit + 1) as soon as `limit` is exceeded. Invalid JSON is left to JSON.parse to report.
 */
export function jsonTextDepth(text: string, limit = Infinity): number {
  // As scanJsonText(text, limit).depth, jumping from one bracket or quote to the next (a regular
  // expression and indexOf skip the numbers and text between them in native code): a 60 kB
  // predict body has ~200 of them, and the character loop cost as much as JSON.parse itself.
  let depth = 0;
  let max = 0;
  const structural = /["[\]{}]/g;
  for (let m = structural.exec(text); m !== null; m = structural.exec(text)) {
    const c = text.charCodeAt(m.index);
    if (c === 0x22 /* " */) {
      // The closing quote: the next one after an even run of backslashes (each escapes one character).
      let end = m.index;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end < 0) return max;
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c /* \ */) slashes++;
        if (slashes % 2 === 0) break;
      }
      structural.lastIndex = end + 1;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else depth--;
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
