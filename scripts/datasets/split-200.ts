// Generates content/datasets/split-200.csv: the course material's 200-example split exercise
// (160 negatives, 40 positives), two overlapping Gaussian clouds, so a random 75/15/10 split can be
// compared with a stratified one.
// Run: npx tsx scripts/datasets/split-200.ts

import { formatCsv, roundTo } from "../../lib/datasets/csv";
import { createRng } from "../../lib/datasets/prng";
import type { Cell } from "../../lib/datasets/types";
import { countBy, CSV_TYPE, runIfMain, utf8, type GeneratedDataset } from "./common";

export const SPLIT200_SEED = 160_040;
export const SPLIT200_NEGATIVE = 160;
export const SPLIT200_POSITIVE = 40;
export const SPLIT200_COLUMNS = ["x1", "x2", "label"];

export function generateSplit200(seed = SPLIT200_SEED): GeneratedDataset {
  const rng = createRng(seed);
  const records: Cell[][] = [];
  for (let i = 0; i < SPLIT200_NEGATIVE; i++) {
    records.push([roundTo(rng.normal(0, 1), 3), roundTo(rng.normal(0, 1), 3), 0]);
  }
  for (let i = 0; i < SPLIT200_POSITIVE; i++) {
    records.push([roundTo(rng.normal(2, 0.8), 3), roundTo(rng.normal(1.5, 0.8), 3), 1]);
  }
  rng.shuffle(records);

  return {
    files: [{ file: "split-200.csv", role: "data", contentType: CSV_TYPE, bytes: utf8(formatCsv(SPLIT200_COLUMNS, records)) }],
    entry: {
      name: "split-200",
      kind: "table",
      title: { es: "200 ejemplos para dividir (160/40)", en: "200 examples to split (160/40)" },
      description: {
        es:
          "200 ejemplos con dos variables numéricas: 160 negativos (sin falla) y 40 positivos (falla). Sirve para " +
          "comparar una división 75/15/10 aleatoria con una estratificada (120+30, 24+6, 16+4).",
        en:
          "200 examples with two numeric features: 160 negatives (no failure) and 40 positives (failure). Used to " +
          "compare a random 75/15/10 split with a stratified one (120+30, 24+6, 16+4).",
      },
      origin: {
        kind: "generated",
        script: "scripts/datasets/split-200.ts",
        seed,
        source: null,
        notes: {
          es: "Clase 0 ~ N((0,0), 1); clase 1 ~ N((2; 1,5), 0,8²); filas en orden aleatorio.",
          en: "Class 0 ~ N((0,0), 1); class 1 ~ N((2, 1.5), 0.8²); rows in random order.",
        },
      },
      license: { name: "CC0-1.0", url: "https://creativecommons.org/publicdomain/zero/1.0/", notes: "Synthetic data written for Cuaderno." },
      rows: records.length,
      columns: [
        { name: "x1", type: "number", description: { es: "Primera variable.", en: "First feature." } },
        { name: "x2", type: "number", description: { es: "Segunda variable.", en: "Second feature." } },
        { name: "label", type: "integer", description: { es: "1 = falla, 0 = sin falla.", en: "1 = failure, 0 = no failure." } },
      ],
      target: "label",
      balance: countBy(records.map((r) => r[2])),
      image: null,
    },
  };
}

runIfMain(import.meta.url, () => generateSplit200());
