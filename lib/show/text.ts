// show.markdown / show.html / show.json. Sanitizing happens where HTML is rendered (the page),
// not here: a bundle is data, and the renderer is the one place that must never trust it.

import type { MimeBundle } from "@/lib/notebook/types";

export function markdown(text: string): MimeBundle {
  const s = String(text);
  return { "text/markdown": s, "text/plain": s };
}

export function html(markup: string): MimeBundle {
  const s = String(markup);
  // Tags stripped for the plain fallback (no parsing needed: it is only ever shown as text).
  const plain = s.replace(/<[^>]*>/g, "").replace(/\s+/g, " ").trim();
  return { "text/html": s, "text/plain": plain };
}

export interface JsonSafeOptions {
  maxDepth?: number;
  maxItems?: number;
  /** Total values visited; shared sub-objects are re-walked, so big object graphs need a cap. */
  maxNodes?: number;
}

/**
 * A JSON-safe copy: cycles become "[Circular]", NaN/±Infinity and bigints become strings,
 * typed arrays become arrays, Maps objects (or entry lists), long arrays are cut.
 */
export function toJsonSafe(value: unknown, opts: JsonSafeOptions = {}): unknown {
  const maxDepth = opts.maxDepth ?? 12;
  const maxItems = opts.maxItems ?? 1000;
  let budget = opts.maxNodes ?? 20_000;
  const stack = new Set<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (--budget < 0) return "…";
    if (v === null || typeof v === "boolean" || typeof v === "string") return v;
    if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
    if (typeof v === "bigint") return v.toString();
    if (v === undefined) return null;
    if (typeof v === "function") return `[Function ${v.name || "anonymous"}]`;
    if (typeof v === "symbol") return v.toString();
    if (typeof v !== "object") return String(v);
    if (stack.has(v)) return "[Circular]";
    if (depth >= maxDepth) return Array.isArray(v) ? "[Array]" : "[Object]";
    if (v instanceof Date) return v.toISOString();
    if (v instanceof Error) return { name: v.name, message: v.message };
    stack.add(v);
    try {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        const arr = Array.from(v as unknown as ArrayLike<number | bigint>);
        return cut(arr.map((x) => walk(x, depth + 1)), maxItems);
      }
      if (Array.isArray(v)) return cut(v.slice(0, maxItems + 1).map((x) => walk(x, depth + 1)), maxItems, v.length);
      if (v instanceof Map) {
        const entries = [...v.entries()].slice(0, maxItems);
        if (entries.every(([k]) => typeof k === "string" || typeof k === "number")) {
          return Object.fromEntries(entries.map(([k, x]) => [String(k), walk(x, depth + 1)]));
        }
        return entries.map(([k, x]) => [walk(k, depth + 1), walk(x, depth + 1)]);
      }
      if (v instanceof Set) return cut([...v].slice(0, maxItems + 1).map((x) => walk(x, depth + 1)), maxItems, v.size);
      const out: Record<string, unknown> = {};
      const proto = Object.getPrototypeOf(v);
      const name = proto && proto !== Object.prototype ? proto.constructor?.name : undefined;
      // Class instances (models, datasets…) are summarized shallowly: their graphs can be huge.
      if (name && depth >= 2) return `[${name}]`;
      for (const [k, x] of Object.entries(v)) {
        if (typeof x === "function") continue;
        out[k] = walk(x, depth + 1);
      }
      return out;
    } finally {
      stack.delete(v);
    }
  };
  return walk(value, 0);
}

function cut(arr: unknown[], max: number, total = arr.length): unknown[] {
  if (total <= max) return arr;
  return [...arr.slice(0, max), `… ${total - max} more`];
}

export function json(value: unknown): MimeBundle {
  const safe = toJsonSafe(value);
  let text = JSON.stringify(safe, null, 2) ?? "undefined";
  if (text.length > 20_000) text = text.slice(0, 20_000) + "\n…";
  return { "application/json": safe, "text/plain": text };
}
