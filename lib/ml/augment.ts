/**
 * Label-preserving data augmentation: geometric and noise transforms of image tensors
 * (`[n, h, w, c]` batches or single `[h, w, c]` images; the result has the input's rank)
 * and time shifts of 1-D signals. Random transforms take a `seed`: same seed, same output.
 *
 * @packageDocumentation
 */

import * as tf from "@tensorflow/tfjs";
import { createRng } from "./random";

/** One image `[h, w, c]` or a batch `[n, h, w, c]`. */
export type Images = tf.Tensor3D | tf.Tensor4D;

function asBatch(images: Images, where: string): tf.Tensor4D {
  if (images.rank === 4) return images as tf.Tensor4D;
  if (images.rank === 3) return (images as tf.Tensor3D).expandDims(0) as tf.Tensor4D;
  throw new Error(`${where}: expected an image [h, w, c] or a batch [n, h, w, c], got shape [${images.shape.join(", ")}]`);
}

function likeInput<T extends Images>(out: tf.Tensor4D, input: T): T {
  return (input.rank === 3 ? out.squeeze([0]) : out) as T;
}

/** Mirrors images left–right (the width axis). */
export function flipHorizontal<T extends Images>(images: T): T {
  return tf.tidy(() => likeInput(tf.reverse(asBatch(images, "flipHorizontal"), 2) as tf.Tensor4D, images));
}

/** Mirrors images top–bottom (the height axis). */
export function flipVertical<T extends Images>(images: T): T {
  return tf.tidy(() => likeInput(tf.reverse(asBatch(images, "flipVertical"), 1) as tf.Tensor4D, images));
}

/** Options for {@link rotate}. */
export interface RotateOptions {
  /** Value for pixels that come from outside the image. Default 0. */
  fillValue?: number;
}

/**
 * Rotates images by `angle` degrees counter-clockwise (as `scipy.ndimage.rotate` and
 * Keras `RandomRotation`) about the image centre, nearest-neighbour sampling.
 */
export function rotate<T extends Images>(images: T, angle: number, options: RotateOptions = {}): T {
  if (!Number.isFinite(angle)) throw new Error(`rotate: angle must be a finite number of degrees, got ${angle}`);
  return tf.tidy(() => {
    const batch = asBatch(images, "rotate");
    const [, h, w] = batch.shape;
    // Rotate about the centre pixel ((w−1)/2, (h−1)/2), given as fractions of the size.
    const center: [number, number] = [(w - 1) / (2 * w), (h - 1) / (2 * h)];
    const out = tf.image.rotateWithOffset(batch.toFloat(), (angle * Math.PI) / 180, options.fillValue ?? 0, center);
    return likeInput(out, images);
  });
}

/** Options for {@link shift}. */
export interface ShiftOptions {
  /** Value for the uncovered border. Default 0. */
  fillValue?: number;
}

/**
 * Translates images by whole pixels: `dx > 0` moves content right, `dy > 0` moves it down.
 * Non-integer shifts are rounded.
 */
export function shift<T extends Images>(images: T, dx: number, dy: number, options: ShiftOptions = {}): T {
  return tf.tidy(() => {
    const batch = asBatch(images, "shift");
    const [n, h, w, c] = batch.shape;
    const sx = Math.max(-w, Math.min(w, Math.round(dx)));
    const sy = Math.max(-h, Math.min(h, Math.round(dy)));
    const padded = tf.pad(
      batch,
      [
        [0, 0],
        [Math.max(sy, 0), Math.max(-sy, 0)],
        [Math.max(sx, 0), Math.max(-sx, 0)],
        [0, 0],
      ],
      options.fillValue ?? 0,
    );
    return likeInput(tf.slice(padded, [0, Math.max(-sy, 0), Math.max(-sx, 0), 0], [n, h, w, c]), images);
  });
}

/** Options for {@link crop}: the window to keep. */
export interface CropOptions {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** Keeps the window `{top, left, height, width}` of every image. */
export function crop<T extends Images>(images: T, box: CropOptions): T {
  return tf.tidy(() => {
    const batch = asBatch(images, "crop");
    const [n, h, w, c] = batch.shape;
    const { top, left, height, width } = box;
    if (![top, left, height, width].every(Number.isInteger) || top < 0 || left < 0 || height < 1 || width < 1 || top + height > h || left + width > w) {
      throw new Error(`crop: window ${JSON.stringify(box)} does not fit in ${h}×${w} images`);
    }
    return likeInput(tf.slice(batch, [0, top, left, 0], [n, height, width, c]), images);
  });
}

/** Options for {@link zoom}. */
export interface ZoomOptions {
  /** Value for pixels outside the image when zooming out. Default 0. */
  fillValue?: number;
}

/**
 * Zooms about the centre keeping the size: `factor > 1` magnifies (crops the middle
 * `1/factor` and enlarges it), `factor < 1` shrinks and pads with `fillValue`. Bilinear.
 */
export function zoom<T extends Images>(images: T, factor: number, options: ZoomOptions = {}): T {
  if (!(factor > 0)) throw new Error(`zoom: factor must be positive, got ${factor}`);
  return tf.tidy(() => {
    const batch = asBatch(images, "zoom").toFloat();
    const [n, h, w] = batch.shape;
    const half = 0.5 / factor;
    const boxes = tf.tensor2d(Array.from({ length: n }, () => [0.5 - half, 0.5 - half, 0.5 + half, 0.5 + half]), [n, 4]);
    const idx = tf.tensor1d(Array.from({ length: n }, (_, i) => i), "int32");
    const out = tf.image.cropAndResize(batch, boxes, idx, [h, w], "bilinear", options.fillValue ?? 0);
    return likeInput(out, images);
  });
}

/** Options for {@link gaussianNoise}. */
export interface GaussianNoiseOptions {
  /** Same seed, same noise. Default 0. */
  seed?: number;
  /** Clip the result to `[min, max]`, e.g. `[0, 1]` for pixel intensities. */
  clip?: [number, number];
}

/** Adds zero-mean Gaussian noise of standard deviation `std` (like Keras `GaussianNoise`). */
export function gaussianNoise<T extends Images>(images: T, std: number, options: GaussianNoiseOptions = {}): T {
  if (!(std >= 0)) throw new Error(`gaussianNoise: std must be >= 0, got ${std}`);
  return tf.tidy(() => {
    const batch = asBatch(images, "gaussianNoise").toFloat();
    let out = tf.add(batch, tf.randomNormal(batch.shape, 0, std, "float32", options.seed ?? 0)) as tf.Tensor4D;
    if (options.clip) out = tf.clipByValue(out, options.clip[0], options.clip[1]);
    return likeInput(out, images);
  });
}

/** Options for {@link cutout}. */
export interface CutoutOptions {
  /** Same seed, same squares. Default 0. */
  seed?: number;
  /** Value painted into the square. Default 0. */
  fillValue?: number;
}

/**
 * Cutout (DeVries & Taylor, 2017): paints one `size × size` square per image at a random
 * centre; squares near the border are clipped.
 */
export function cutout<T extends Images>(images: T, size: number, options: CutoutOptions = {}): T {
  if (!(Number.isInteger(size) && size >= 1)) throw new Error(`cutout: size must be a positive integer, got ${size}`);
  return tf.tidy(() => {
    const batch = asBatch(images, "cutout").toFloat();
    const [n, h, w] = batch.shape;
    const rng = createRng(options.seed ?? 0);
    const keep = new Float32Array(n * h * w).fill(1);
    for (let i = 0; i < n; i++) {
      const y0 = rng.int(h) - Math.floor(size / 2);
      const x0 = rng.int(w) - Math.floor(size / 2);
      for (let y = Math.max(0, y0); y < Math.min(h, y0 + size); y++) {
        for (let x = Math.max(0, x0); x < Math.min(w, x0 + size); x++) keep[(i * h + y) * w + x] = 0;
      }
    }
    const mask = tf.tensor4d(keep, [n, h, w, 1]);
    const fill = options.fillValue ?? 0;
    const out = tf.add(tf.mul(batch, mask), tf.mul(tf.sub(1, mask), fill)) as tf.Tensor4D;
    return likeInput(out, images);
  });
}

// ---------------------------------------------------------------------------------------
// 1-D signals

/** Options for {@link windowShift}. */
export interface WindowShiftOptions {
  /** `"wrap"` (circular, default) or `"constant"` (pad with `fillValue`). */
  mode?: "wrap" | "constant";
  /** Padding value for `"constant"`. Default 0. */
  fillValue?: number;
}

function shiftOne(signal: ArrayLike<number>, s: number, mode: "wrap" | "constant", fill: number): number[] {
  const n = signal.length;
  const out = new Array<number>(n);
  for (let t = 0; t < n; t++) {
    const src = t - s;
    if (mode === "wrap") out[t] = signal[((src % n) + n) % n];
    else out[t] = src >= 0 && src < n ? signal[src] : fill;
  }
  return out;
}

/**
 * Shifts a signal (or each row of a batch of signals) in time by `shift` samples:
 * `out[t] = signal[t − shift]`, so a positive shift delays the signal.
 */
export function windowShift(signal: number[], shift: number, options?: WindowShiftOptions): number[];
export function windowShift(signal: number[][], shift: number, options?: WindowShiftOptions): number[][];
export function windowShift(signal: number[] | number[][], shift: number, options: WindowShiftOptions = {}): number[] | number[][] {
  if (!Number.isInteger(shift)) throw new Error(`windowShift: shift must be an integer, got ${shift}`);
  const mode = options.mode ?? "wrap";
  const fill = options.fillValue ?? 0;
  if (signal.length > 0 && Array.isArray(signal[0])) return (signal as number[][]).map((row) => shiftOne(row, shift, mode, fill));
  return shiftOne(signal as number[], shift, mode, fill);
}

/** Options for {@link randomWindowShifts}. */
export interface RandomWindowShiftsOptions extends WindowShiftOptions {
  /** Largest shift in either direction; shifts are uniform integers in `[−maxShift, maxShift]`. */
  maxShift: number;
  /** Shifted copies per signal. Default 1. */
  count?: number;
  /** Same seed, same shifts. Default 0. */
  seed?: number;
  /** Labels to repeat alongside the copies. */
  labels?: ArrayLike<number>;
}

/** Result of {@link randomWindowShifts}. */
export interface RandomWindowShiftsResult {
  /** The shifted copies, `count` per input signal, in input order. */
  signals: number[][];
  /** Shift applied to each copy. */
  shifts: number[];
  /** Index of the input signal each copy came from. */
  sourceIndex: number[];
  /** `labels[sourceIndex[i]]` when labels were given. */
  labels?: number[];
}

/**
 * Makes `count` randomly time-shifted copies of each signal — a label-preserving
 * augmentation for 1-D sensor data.
 *
 * @example
 * ```ts
 * const aug = ml.augment.randomWindowShifts(faulty, { maxShift: 8, count: 5, seed: 1, labels: yFaulty });
 * ```
 */
export function randomWindowShifts(signals: number[][], options: RandomWindowShiftsOptions): RandomWindowShiftsResult {
  const { maxShift } = options;
  const count = options.count ?? 1;
  if (!(Number.isInteger(maxShift) && maxShift >= 0)) throw new Error(`randomWindowShifts: maxShift must be a non-negative integer, got ${maxShift}`);
  if (!(Number.isInteger(count) && count >= 1)) throw new Error(`randomWindowShifts: count must be a positive integer, got ${count}`);
  if (options.labels && options.labels.length !== signals.length) throw new Error(`randomWindowShifts: ${options.labels.length} labels for ${signals.length} signals`);
  const rng = createRng(options.seed ?? 0);
  const out: RandomWindowShiftsResult = { signals: [], shifts: [], sourceIndex: [] };
  signals.forEach((s, i) => {
    for (let k = 0; k < count; k++) {
      const sh = rng.int(2 * maxShift + 1) - maxShift;
      out.signals.push(windowShift(s, sh, options));
      out.shifts.push(sh);
      out.sourceIndex.push(i);
    }
  });
  if (options.labels) {
    const labels = options.labels;
    out.labels = out.sourceIndex.map((i) => labels[i]);
  }
  return out;
}
