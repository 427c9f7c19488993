// Tensor-like values ({shape, dtype, data|values}, or anything with shape + dataSync()) → TensorView.

import type { MimeBundle, TensorView } from "@/lib/notebook/types";
import { fmt } from "./vega";

export const TENSOR_MIME = "application/vnd.cuaderno.tensor+json";
export const TENSOR_VIEW_LIMIT = 1000;

export interface TensorLike {
  shape: number[];
  dtype?: string;
  /** Plain values; on a tfjs tensor `data` is its async method (`dataSync` is read instead). */
  data?: ArrayLike<number | boolean | string> | (() => Promise<unknown>);
  values?: ArrayLike<number | boolean | string>;
  dataSync?: () => ArrayLike<number | boolean | string>;
}

export function isTensorLike(v: unknown): v is TensorLike {
  const t = v as TensorLike | null;
  if (!t || typeof t !== "object" || !Array.isArray(t.shape)) return false;
  if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) return false;
  return typeof t.dataSync === "function" || isArrayLike(t.data) || isArrayLike(t.values);
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

export function tensorValues(t: TensorLike): ArrayLike<number | boolean | string> {
  if (typeof t.dataSync === "function") return t.dataSync();
  return ((typeof t.data === "function" ? undefined : t.data) ?? t.values ?? []) as ArrayLike<number | boolean | string>;
}

export function tensorView(t: TensorLike): TensorView {
  const all = tensorValues(t);
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (all.length !== size) throw new RangeError(`tensor of shape [${t.shape}] needs ${size} values, got ${all.length}`);
  const n = Math.min(all.length, TENSOR_VIEW_LIMIT);
  const values: number[] = new Array(n);
  for (let i = 0; i < n; i++) values[i] = Number(all[i]);
  const view: TensorView = {
    shape: [...t.shape],
    dtype: t.dtype ?? (ArrayBuffer.isView(all) ? dtypeOf(all) : "float32"),
    values,
    truncated: all.length > n,
  };
  if (t.dtype !== "string" && all.length > 0) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < all.length; i++) {
      const v = Number(all[i]);
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      count++;
    }
    if (count > 0) view.stats = { min, max, mean: sum / count };
  }
  return view;
}

function dtypeOf(a: ArrayBufferView): string {
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Uint8Array) return "bool";
  return "float32";
}

/** Nested-bracket text like tfjs's print(), eliding the middle of long axes. */
export function tensorText(view: TensorView, edge = 3): string {
  const { shape, values } = view;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const at = (i: number) => (i < values.length ? fmt(values[i]) : "…");
  const rec = (axis: number, offset: number): string => {
    if (axis === shape.length) return at(offset);
    const len = shape[axis];
    const idx =
      len > 2 * edge ? [...Array.from({ length: edge }, (_, i) => i), -1, ...Array.from({ length: edge }, (_, i) => len - edge + i)] : Array.from({ length: len }, (_, i) => i);
    const parts = idx.map((i) => (i < 0 ? "…" : rec(axis + 1, offset + i * strides[axis])));
    const sep = axis === shape.length - 1 ? ", " : ",\n" + " ".repeat(axis + 1);
    return "[" + parts.join(sep) + "]";
  };
  const head = `Tensor ${view.dtype} [${shape.join(", ")}]`;
  const stats = view.stats ? `\nmin ${fmt(view.stats.min)}, max ${fmt(view.stats.max)}, mean ${fmt(view.stats.mean)}` : "";
  return `${head}\n${rec(0, 0)}${stats}`;
}

export function tensor(t: TensorLike): MimeBundle {
  const view = tensorView(t);
  return { [TENSOR_MIME]: view, "text/plain": tensorText(view) };
}
