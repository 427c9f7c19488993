// Generates content/datasets/magnet-signals.csv: 3,130 healthy and 112 faulty magnet current
// cycles of 64 samples (the rare-event example of the course material). A healthy cycle is a
// smooth ramp-up, flat top and ramp-down with ripple and sensor noise; a fault adds one localised
// anomaly (spike, dip or quench-like drop with slow recovery) at a random position, so shifting a
// window left/right yields new valid faulty examples.
// Run: npx tsx scripts/datasets/magnet-signals.ts

import { formatCsv, roundTo } from "../../lib/datasets/csv";
import { createRng, type Rng } from "../../lib/datasets/prng";
import type { Cell } from "../../lib/datasets/types";
import { countBy, CSV_TYPE, runIfMain, utf8, type GeneratedDataset } from "./common";

export const MAGNET_SEED = 3_130_112;
export const MAGNET_HEALTHY = 3130;
export const MAGNET_FAULTY = 112;
export const MAGNET_LENGTH = 64;

export const MAGNET_COLUMNS = ["id", "label", ...Array.from({ length: MAGNET_LENGTH }, (_, i) => `s${i}`)];

/** Smooth step from 0 to 1 over [start, start + length] (cosine ramp, like a current ramp). */
function ramp(t: number, start: number, length: number): number {
  if (t <= start) return 0;
  if (t >= start + length) return 1;
  return 0.5 - 0.5 * Math.cos((Math.PI * (t - start)) / length);
}

function healthyCycle(rng: Rng): number[] {
  const base = rng.normal(0.05, 0.01);
  const top = rng.normal(1, 0.05);
  const up = rng.normal(8, 2.5);
  const rampUp = rng.normal(14, 2.5);
  const flat = rng.normal(22, 3);
  const rampDown = rng.normal(12, 2);
  const downStart = up + rampUp + flat;
  const rippleAmp = rng.uniform(0, 0.012);
  const ripplePeriod = rng.uniform(5, 9);
  const ripplePhase = rng.uniform(0, 2 * Math.PI);
  const noise = rng.uniform(0.006, 0.016);
  const out: number[] = [];
  for (let t = 0; t < MAGNET_LENGTH; t++) {
    const level = ramp(t, up, rampUp) - ramp(t, downStart, rampDown);
    const ripple = rippleAmp * level * Math.sin((2 * Math.PI * t) / ripplePeriod + ripplePhase);
    out.push(base + (top - base) * level + ripple + rng.normal(0, noise));
  }
  return out;
}

export type MagnetFault = "spike" | "dip" | "quench";

function addFault(signal: number[], rng: Rng): MagnetFault {
  const kind = rng.weighted<MagnetFault>(["spike", "dip", "quench"], [35, 30, 35]);
  const at = rng.int(4, MAGNET_LENGTH - 6);
  // Amplitudes run from subtle (a few noise widths) to obvious, so some faults are hard to see.
  if (kind === "spike" || kind === "dip") {
    const amp = rng.uniform(0.06, 0.4) * (kind === "dip" ? -1 : 1);
    const width = rng.uniform(0.6, 1.6);
    for (let t = 0; t < MAGNET_LENGTH; t++) signal[t] += amp * Math.exp(-((t - at) ** 2) / (2 * width * width));
  } else {
    const depth = rng.uniform(0.1, 0.55);
    const tau = rng.uniform(2.5, 8);
    const level = Math.max(0.3, signal[at]);
    for (let t = at; t < MAGNET_LENGTH; t++) signal[t] -= depth * level * Math.exp(-(t - at) / tau);
  }
  return kind;
}

export function generateMagnetSignals(seed = MAGNET_SEED): GeneratedDataset {
  const rng = createRng(seed);
  const signals: { label: number; values: number[] }[] = [];
  for (let i = 0; i < MAGNET_HEALTHY; i++) signals.push({ label: 0, values: healthyCycle(rng) });
  for (let i = 0; i < MAGNET_FAULTY; i++) {
    const values = healthyCycle(rng);
    addFault(values, rng);
    signals.push({ label: 1, values });
  }
  rng.shuffle(signals);
  const records: Cell[][] = signals.map((s, i) => [i + 1, s.label, ...s.values.map((v) => roundTo(v, 3))]);

  return {
    files: [
      {
        file: "magnet-signals.csv",
        role: "data",
        contentType: CSV_TYPE,
        bytes: utf8(formatCsv(MAGNET_COLUMNS, records)),
      },
    ],
    entry: {
      name: "magnet-signals",
      kind: "table",
      title: { es: "Señales de imanes (eventos raros)", en: "Magnet signals (rare events)" },
      description: {
        es:
          "3.130 ciclos de corriente sanos y 112 con falla, de 64 muestras cada uno (rampa, meseta y bajada con ruido). " +
          "Una falla es una anomalía localizada —pico, caída o pérdida tipo quench con recuperación lenta— en una " +
          "posición aleatoria. El modelo que siempre dice «sano» acierta el 96,5% y no detecta ninguna falla.",
        en:
          "3,130 healthy and 112 faulty current cycles of 64 samples each (ramp, flat top and ramp-down with noise). " +
          "A fault is a localised anomaly — spike, dip or quench-like drop with slow recovery — at a random position. " +
          "The model that always says \"healthy\" is 96.5% accurate and detects no fault.",
      },
      origin: {
        kind: "generated",
        script: "scripts/datasets/magnet-signals.ts",
        seed,
        source: null,
        notes: {
          es: "Sintético, con las proporciones del ejemplo de eventos raros del material del curso (3.130 vs 112).",
          en: "Synthetic, with the class counts of the course material's rare-event example (3,130 vs 112).",
        },
      },
      license: { name: "CC0-1.0", url: "https://creativecommons.org/publicdomain/zero/1.0/", notes: "Synthetic data written for Cuaderno." },
      rows: records.length,
      columns: [
        { name: "id", type: "integer", description: { es: "Identificador de la señal (1…3242).", en: "Signal id (1…3242)." } },
        { name: "label", type: "integer", description: { es: "1 = con falla, 0 = sana.", en: "1 = faulty, 0 = healthy." } },
        ...Array.from({ length: MAGNET_LENGTH }, (_, i) => ({
          name: `s${i}`,
          type: "number" as const,
          description: {
            es: `Muestra ${i} de la corriente normalizada (≈0 en reposo, ≈1 en la meseta).`,
            en: `Sample ${i} of the normalised current (≈0 at rest, ≈1 on the flat top).`,
          },
        })),
      ],
      target: "label",
      balance: countBy(records.map((r) => r[1])),
      image: null,
    },
  };
}

runIfMain(import.meta.url, () => generateMagnetSignals());
