// Any JS value → a MIME bundle: what the kernel shows for a cell's last expression.

import type { MimeBundle } from "@/lib/notebook/types";
import { images } from "./images";
import { isTableLike, table } from "./table";
import { isTensorLike, tensor } from "./tensor";
import { json, toJsonSafe } from "./text";

/** Bundles with this many characters of text/plain at most; longer text is cut. */
const MAX_TEXT = 20_000;

function plain(text: string): MimeBundle {
  return { "text/plain": text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) + "\n…" : text };
}

function isImageDataset(v: unknown): boolean {
  const d = v as { kind?: unknown; images?: unknown; height?: unknown; width?: unknown } | null;
  return !!d && typeof d === "object" && d.kind === "images" && ArrayBuffer.isView(d.images) && typeof d.height === "number";
}

function mapText(m: Map<unknown, unknown>): string {
  const entries = [...m.entries()].slice(0, 50).map(([k, v]) => `${short(k)} => ${short(v)}`);
  return `Map(${m.size}) {${entries.join(", ")}${m.size > 50 ? ", …" : ""}}`;
}

function short(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  try {
    const s = JSON.stringify(toJsonSafe(v, { maxDepth: 3, maxItems: 20 }));
    return s === undefined ? String(v) : s.length > 200 ? s.slice(0, 199) + "…" : s;
  } catch {
    return String(v);
  }
}

export function formatValue(value: unknown): MimeBundle {
  if (value === undefined) return plain("undefined");
  if (value === null) return plain("null");
  switch (typeof value) {
    case "string":
      return plain(value);
    case "number":
    case "boolean":
      return plain(String(value));
    case "bigint":
      return plain(`${value}n`);
    case "symbol":
      return plain(value.toString());
    case "function":
      return plain(`[Function ${value.name || "anonymous"}]`);
  }
  if (value instanceof Error) {
    return plain(`${value.name}: ${value.message}`);
  }
  if (value instanceof Date) return plain(Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString());
  if (value instanceof Promise) return plain("Promise { <pending> } — did you forget `await`?");
  if (isTableLike(value)) return table(value);
  if (isImageDataset(value)) {
    const d = value as { name?: string; count: number; height: number; width: number };
    const b = images(value as Parameters<typeof images>[0], { max: 16 });
    b["text/plain"] = `ImageDataset${d.name ? ` "${d.name}"` : ""}: ${d.count} images ${d.height}×${d.width}\n${b["text/plain"]}`;
    return b;
  }
  if (isTensorLike(value)) {
    try {
      return tensor(value);
    } catch {
      // A shape that does not match its data is not a tensor after all; show it as JSON.
    }
  }
  if (value instanceof Map) {
    return { ...json(value), "text/plain": mapText(value) };
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = value as unknown as ArrayLike<number>;
    const name = value.constructor?.name ?? "TypedArray";
    const b = json(value);
    const head = Array.from({ length: Math.min(arr.length, 100) }, (_, i) => String(arr[i])).join(", ");
    b["text/plain"] = `${name}(${arr.length}) [${head}${arr.length > 100 ? ", …" : ""}]`;
    return b;
  }
  return json(value);
}
