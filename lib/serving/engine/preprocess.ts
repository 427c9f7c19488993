// The plain-data steps around a model: standard scaling of the inputs (the scaler's mean and
// scale, as scikit-learn's StandardScaler keeps them) and an output threshold or argmax to a
// class label. Pure: the engine applies them in the web server's thread while packing rows.
import { ServingError } from "./errors";

export interface StandardScaling {
  /** Per feature, in input order. */
  mean: readonly number[];
  /** Per feature; 0 counts as 1 (scikit-learn's handling of constant features). */
  scale: readonly number[];
}

export interface OutputLabels {
  /** With one output value per row: label index 1 when value ≥ threshold, else 0. Default 0.5. */
  threshold?: number;
  /**
   * Class labels: [negative, positive] with one output (default [0, 1]); one per output with
   * several outputs (the label of the largest value).
   */
  labels?: readonly (string | number)[];
}

export type Label = string | number;

export function checkScalingOrThrow(scaling: StandardScaling, width: number | null): void {
  const { mean, scale } = scaling;
  if (!Array.isArray(mean) || !Array.isArray(scale)) throw new ServingError("bad-input", "Standard scaling needs mean and scale arrays");
  if (mean.length !== scale.length) throw new ServingError("bad-input", `Standard scaling has ${mean.length} means and ${scale.length} scales`);
  if (width !== null && mean.length !== width) throw new ServingError("bad-input", `Standard scaling has ${mean.length} features; the model takes ${width}`);
  for (let i = 0; i < mean.length; i++) {
    if (!Number.isFinite(mean[i]) || !Number.isFinite(scale[i])) throw new ServingError("bad-input", `Standard scaling feature ${i}: mean and scale must be finite numbers`);
  }
}

/** 1/scale per feature, so packing multiplies (0 → 1, as scikit-learn does). */
export function inverseScales(scaling: StandardScaling): Float64Array {
  return Float64Array.from(scaling.scale, (s) => (s === 0 ? 1 : 1 / s));
}

export function labelRows(outputs: Float32Array, outputWidth: number, spec: OutputLabels): Label[] {
  const rows = outputs.length / outputWidth;
  const labels: Label[] = new Array(rows);
  if (outputWidth === 1) {
    const threshold = spec.threshold ?? 0.5;
    const [negative, positive] = spec.labels ?? [0, 1];
    for (let r = 0; r < rows; r++) labels[r] = outputs[r] >= threshold ? positive : negative;
    return labels;
  }
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < outputWidth; c++) if (outputs[r * outputWidth + c] > outputs[r * outputWidth + best]) best = c;
    labels[r] = spec.labels?.[best] ?? best;
  }
  return labels;
}
