// show.images: a grid of images ([n,h,w], [n,h,w,1|3], an ImageDataset, or nested arrays) → one PNG.

import type { MimeBundle } from "@/lib/notebook/types";
import { encodePng, toBase64 } from "./png";
import { escapeHtml } from "./table";
import { isTensorLike, tensorValues, type TensorLike } from "./tensor";

export interface ImagesOptions {
  cols?: number;
  labels?: ArrayLike<string | number>;
  /** Needed when passing a flat array: the size of one image. */
  height?: number;
  width?: number;
  /** Most images drawn (default 64). */
  max?: number;
  /** Pixel upscaling; default makes small images at least ~56px tall. */
  scale?: number;
  /** "unit": values in [0,1]; "byte": 0–255; default: guessed from the largest value. */
  range?: "unit" | "byte";
}

interface ImageDatasetLike {
  kind: "images";
  count: number;
  height: number;
  width: number;
  images: ArrayLike<number>;
  labels?: ArrayLike<number>;
}

export type ImagesInput = TensorLike | ImageDatasetLike | ArrayLike<number> | number[][][] | number[][][][];

interface Stack {
  n: number;
  h: number;
  w: number;
  c: 1 | 3;
  data: ArrayLike<number>;
  labels?: ArrayLike<string | number>;
}

function flattenNested(v: unknown, shape: number[], out: number[], depth = 0): void {
  if (Array.isArray(v)) {
    if (shape.length <= depth) shape.push(v.length);
    else if (shape[depth] !== v.length) throw new RangeError("show.images: ragged nested array");
    for (const x of v) flattenNested(x, shape, out, depth + 1);
  } else {
    if (shape.length !== depth) throw new RangeError("show.images: ragged nested array");
    out.push(Number(v));
  }
}

function toStack(input: ImagesInput, opts: ImagesOptions): Stack {
  let shape: number[];
  let data: ArrayLike<number>;
  let labels = opts.labels;
  const ds = input as ImageDatasetLike;
  if (ds && typeof ds === "object" && ds.kind === "images") {
    shape = [ds.count, ds.height, ds.width];
    data = ds.images;
    labels ??= ds.labels;
  } else if (isTensorLike(input)) {
    shape = input.shape;
    data = tensorValues(input) as ArrayLike<number>;
  } else if (Array.isArray(input) && input.length > 0 && Array.isArray(input[0])) {
    const flat: number[] = [];
    shape = [];
    flattenNested(input, shape, flat);
    data = flat;
  } else if (Array.isArray(input) || ArrayBuffer.isView(input)) {
    const flat = input as ArrayLike<number>;
    const { height: h, width: w } = opts;
    if (!h || !w) throw new TypeError("show.images: pass { height, width } with a flat array of pixels");
    if (flat.length % (h * w) !== 0) throw new RangeError(`show.images: ${flat.length} values is not a multiple of ${h}×${w}`);
    shape = [flat.length / (h * w), h, w];
    data = flat;
  } else {
    throw new TypeError("show.images expects a tensor [n,h,w(,c)], an ImageDataset or nested arrays");
  }
  if (shape.length === 2) shape = [1, ...shape];
  if (shape.length === 3 && (shape[2] === 3 || shape[2] === 1) && opts.height === undefined && shape[0] > 4 && shape[1] > 4) {
    // [h,w,c] of a single image: a lone colour image is more likely than 3-pixel-wide ones.
    shape = [1, ...shape];
  }
  if (shape.length === 3) shape = [...shape, 1];
  if (shape.length !== 4 || (shape[3] !== 1 && shape[3] !== 3)) {
    throw new RangeError(`show.images: expected shape [n,h,w], [n,h,w,1] or [n,h,w,3], got [${shape}]`);
  }
  return { n: shape[0], h: shape[1], w: shape[2], c: shape[3] as 1 | 3, data, labels };
}

export interface ImageGrid {
  range: "unit" | "byte";
  png: Uint8Array;
  width: number;
  height: number;
  shown: number;
  total: number;
  cell: { width: number; height: number; scale: number };
}

export function imageGrid(input: ImagesInput, opts: ImagesOptions = {}): ImageGrid & { stack: Stack } {
  const stack = toStack(input, opts);
  const { h, w, c, data } = stack;
  const shown = Math.min(stack.n, opts.max ?? 64);
  if (shown === 0) throw new RangeError("show.images: no images to show");
  const cols = Math.max(1, Math.min(shown, opts.cols ?? Math.min(8, shown)));
  const rows = Math.ceil(shown / cols);
  const scale = Math.max(1, Math.floor(opts.scale ?? Math.max(1, Math.round(56 / h))));
  const gap = 2;
  const W = cols * w * scale + (cols - 1) * gap;
  const H = rows * h * scale + (rows - 1) * gap;
  // Values in [0,1] are scaled to bytes; anything above 1 is taken as already 0–255.
  let max = 0;
  const count = shown * h * w * c;
  for (let i = 0; i < count; i++) if (data[i] > max) max = data[i];
  const mul = (opts.range ?? (max > 1 ? "byte" : "unit")) === "byte" ? 1 : 255;
  const out = new Uint8Array(W * H * c).fill(255);
  for (let k = 0; k < shown; k++) {
    const ox = (k % cols) * (w * scale + gap);
    const oy = Math.floor(k / cols) * (h * scale + gap);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) {
          const v = Number(data[((k * h + y) * w + x) * c + ch]);
          const byte = Math.max(0, Math.min(255, Math.round((Number.isFinite(v) ? v : 0) * mul)));
          for (let sy = 0; sy < scale; sy++)
            for (let sx = 0; sx < scale; sx++) out[((oy + y * scale + sy) * W + ox + x * scale + sx) * c + ch] = byte;
        }
  }
  const png = encodePng({ width: W, height: H, channels: c, data: out });
  return { range: mul === 1 ? "byte" : "unit", png, width: W, height: H, shown, total: stack.n, cell: { width: w * scale, height: h * scale, scale }, stack };
}

export function images(input: ImagesInput, opts: ImagesOptions = {}): MimeBundle {
  const grid = imageGrid(input, opts);
  const labels = grid.stack.labels ? Array.from(grid.stack.labels).slice(0, grid.shown).map(String) : undefined;
  const b64 = toBase64(grid.png);
  const text =
    `${grid.shown}${grid.total > grid.shown ? ` of ${grid.total}` : ""} images ${grid.stack.h}×${grid.stack.w}` +
    (labels ? `\nlabels: ${labels.join(" ")}` : "");
  const bundle: MimeBundle = { "image/png": b64, "text/plain": text };
  if (labels) {
    // With labels, the page shows an HTML grid: one image per figure with its caption.
    const cols = Math.max(1, Math.min(grid.shown, opts.cols ?? Math.min(8, grid.shown)));
    const figures = labels.map((label, k) => {
      const one = imageGrid(sliceStack(grid.stack, k), { scale: grid.cell.scale, range: grid.range });
      return `<figure style="margin:0;text-align:center"><img alt="${escapeHtml(label)}" width="${one.width}" height="${one.height}" src="data:image/png;base64,${toBase64(one.png)}"><figcaption>${escapeHtml(label)}</figcaption></figure>`;
    });
    bundle["text/html"] =
      `<div style="display:grid;grid-template-columns:repeat(${cols},max-content);gap:4px">${figures.join("")}</div>`;
  }
  return bundle;
}

function sliceStack(s: Stack, k: number): TensorLike {
  const size = s.h * s.w * s.c;
  const data = Array.prototype.slice.call(s.data, k * size, (k + 1) * size) as number[];
  return { shape: [1, s.h, s.w, s.c], data };
}
