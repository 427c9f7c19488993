import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { crop, cutout, flipHorizontal, flipVertical, gaussianNoise, randomWindowShifts, rotate, shift, windowShift, zoom } from "@/lib/ml/augment";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

// A 3×4 single-channel image with distinct pixels 1..12.
const img2d = (rows: number[][]) => tf.tensor2d(rows).expandDims(-1) as tf.Tensor3D;
const grid = () => img2d([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
const plain = (t: tf.Tensor) => (t.squeeze() as tf.Tensor2D).arraySync();

describe("image augmentation", () => {
  it("flips horizontally and vertically, keeping rank and not leaking tensors", () => {
    const img = grid();
    const before = tf.memory().numTensors;
    const h = flipHorizontal(img);
    const v = flipVertical(img);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(h.shape).toEqual([3, 4, 1]);
    expect(plain(h)).toEqual([[4, 3, 2, 1], [8, 7, 6, 5], [12, 11, 10, 9]]);
    expect(plain(v)).toEqual([[9, 10, 11, 12], [5, 6, 7, 8], [1, 2, 3, 4]]);
    const batch = tf.stack([img, img]) as tf.Tensor4D;
    expect(flipHorizontal(batch).shape).toEqual([2, 3, 4, 1]);
    tf.dispose([img, h, v, batch]);
  });

  it("rotates counter-clockwise by degrees about the centre", () => {
    const img = img2d([[0, 1, 0], [0, 0, 0], [0, 0, 0]]);
    expect(plain(rotate(img, 90))).toEqual([[0, 0, 0], [1, 0, 0], [0, 0, 0]]);
    expect(plain(rotate(img, -90))).toEqual([[0, 0, 0], [0, 0, 1], [0, 0, 0]]);
    expect(plain(rotate(img, 180))).toEqual([[0, 0, 0], [0, 0, 0], [0, 1, 0]]);
    expect(plain(rotate(img, 360))).toEqual(plain(img));
  });

  it("shifts by whole pixels with a fill value", () => {
    const img = grid();
    expect(plain(shift(img, 1, 0))).toEqual([[0, 1, 2, 3], [0, 5, 6, 7], [0, 9, 10, 11]]);
    expect(plain(shift(img, -2, 1, { fillValue: -1 }))).toEqual([[-1, -1, -1, -1], [3, 4, -1, -1], [7, 8, -1, -1]]);
    expect(plain(shift(img, 10, 0))).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
  });

  it("crops a window and rejects one that does not fit", () => {
    const img = grid();
    expect(plain(crop(img, { top: 1, left: 1, height: 2, width: 2 }))).toEqual([[6, 7], [10, 11]]);
    expect(() => crop(img, { top: 2, left: 0, height: 2, width: 2 })).toThrow(/does not fit/);
  });

  it("zooms in and out about the centre, keeping the size", () => {
    const img = img2d([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]);
    expect(plain(zoom(img, 1))).toEqual(plain(img));
    const inz = zoom(img, 2) as tf.Tensor3D;
    expect(inz.shape).toEqual([5, 5, 1]);
    // Magnified: the bright centre spreads over more pixels but stays centred.
    const a = plain(inz) as number[][];
    expect(a[2][2]).toBeCloseTo(1, 6);
    expect(a[1][2]).toBeCloseTo(0.5, 6);
    expect(a[0][0]).toBe(0);
    // Zoomed out with fill 9: the border comes from outside the image.
    const out = plain(zoom(tf.onesLike(img) as tf.Tensor3D, 0.5, { fillValue: 9 })) as number[][];
    expect(out[0][0]).toBe(9);
    expect(out[2][2]).toBe(1);
  });

  it("adds seeded Gaussian noise with the requested spread and clipping", () => {
    const img = tf.zeros([4, 16, 16, 1]) as tf.Tensor4D;
    const a = gaussianNoise(img, 0.5, { seed: 1 });
    const b = gaussianNoise(img, 0.5, { seed: 1 });
    const c = gaussianNoise(img, 0.5, { seed: 2 });
    expect(a.arraySync()).toEqual(b.arraySync());
    expect(a.arraySync()).not.toEqual(c.arraySync());
    const vals = a.dataSync() as Float32Array;
    const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / vals.length);
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(sd).toBeGreaterThan(0.45);
    expect(sd).toBeLessThan(0.55);
    const clipped = gaussianNoise(img, 0.5, { seed: 1, clip: [0, 1] }).dataSync() as Float32Array;
    expect(Math.min(...clipped)).toBe(0);
  });

  it("cutout paints one seeded square per image, clipped at the border", () => {
    const imgs = tf.ones([3, 8, 8, 2]) as tf.Tensor4D;
    const a = cutout(imgs, 3, { seed: 4 });
    expect(a.arraySync()).toEqual(cutout(imgs, 3, { seed: 4 }).arraySync());
    const data = a.arraySync() as number[][][][];
    for (const img of data) {
      const zeros = img.flat().filter((px) => px[0] === 0);
      expect(zeros.length).toBeGreaterThanOrEqual(4); // at least a 2×2 corner survives clipping
      expect(zeros.length).toBeLessThanOrEqual(9);
      zeros.forEach((px) => expect(px[1]).toBe(0)); // every channel painted
    }
    const filled = cutout(tf.zeros([1, 4, 4, 1]) as tf.Tensor4D, 2, { seed: 0, fillValue: 5 }).dataSync() as Float32Array;
    expect(Array.from(filled).filter((v) => v === 5).length).toBeGreaterThanOrEqual(1);
  });
});

describe("signal augmentation", () => {
  it("windowShift delays or advances a signal, circularly or with padding", () => {
    expect(windowShift([1, 2, 3, 4, 5], 2)).toEqual([4, 5, 1, 2, 3]);
    expect(windowShift([1, 2, 3, 4, 5], -1)).toEqual([2, 3, 4, 5, 1]);
    expect(windowShift([1, 2, 3, 4, 5], 2, { mode: "constant", fillValue: 0 })).toEqual([0, 0, 1, 2, 3]);
    expect(windowShift([[1, 2, 3], [4, 5, 6]], 1)).toEqual([[3, 1, 2], [6, 4, 5]]);
    expect(() => windowShift([1, 2], 0.5)).toThrow(/integer/);
  });

  it("randomWindowShifts makes seeded copies with shifts in range and repeated labels", () => {
    const signals = [
      [1, 2, 3, 4, 5, 6],
      [6, 5, 4, 3, 2, 1],
    ];
    const res = randomWindowShifts(signals, { maxShift: 2, count: 4, seed: 3, labels: [0, 1] });
    expect(res.signals).toHaveLength(8);
    expect(res.sourceIndex).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(res.labels).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    res.shifts.forEach((s, i) => {
      expect(Math.abs(s)).toBeLessThanOrEqual(2);
      expect(res.signals[i]).toEqual(windowShift(signals[res.sourceIndex[i]], s));
    });
    expect(randomWindowShifts(signals, { maxShift: 2, count: 4, seed: 3 }).shifts).toEqual(res.shifts);
    const many = randomWindowShifts([signals[0]], { maxShift: 2, count: 200, seed: 1 });
    expect(new Set(many.shifts)).toEqual(new Set([-2, -1, 0, 1, 2]));
  });
});
