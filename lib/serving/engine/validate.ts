// Input rows checked and packed before they reach a worker: an array of rows, each of exactly the
// model's input width, every value a finite number; at most maxRows rows. The packing applies the
// standard scaling in the same pass, so a valid request costs one walk over its numbers.
import { ServingError } from "./errors";

export interface PackOptions {
  width: number;
  maxRows: number;
  /** Standard scaling: mean and 1/scale per feature (preprocess.ts inverseScales). */
  mean?: readonly number[];
  inverseScale?: Float64Array;
}

function describe(value: unknown): string {
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 20 ? value.slice(0, 20) + "…" : value)}`;
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}

/** Rows → a row-major Float32Array of rows × width, or a bad-input error that says where and why. */
export function packRowsOrThrow(rows: unknown, options: PackOptions): Float32Array {
  const { width, maxRows, mean, inverseScale } = options;
  if (!Array.isArray(rows)) throw new ServingError("bad-input", `Expected a list of rows (each a list of ${width} numbers), got ${describe(rows)}`);
  if (rows.length === 0) throw new ServingError("bad-input", "Expected at least one row");
  if (rows.length > maxRows) throw new ServingError("bad-input", `${rows.length} rows in one request; the limit is ${maxRows}`);
  if (!(width >= 1)) throw new ServingError("bad-input", "Each row must be a list of at least one number");
  const out = new Float32Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    if (!Array.isArray(row) && !(ArrayBuffer.isView(row) && !(row instanceof DataView))) {
      throw new ServingError("bad-input", `Row ${r} is ${describe(row)}; expected a list of ${width} numbers`);
    }
    const values = row as ArrayLike<unknown>;
    if (values.length !== width) throw new ServingError("bad-input", `Row ${r} has ${values.length} values; the model takes ${width} features`);
    const base = r * width;
    for (let c = 0; c < width; c++) {
      const v = values[c];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new ServingError("bad-input", `Row ${r}, feature ${c}: expected a finite number, got ${describe(v)}`);
      }
      out[base + c] = mean && inverseScale ? (v - mean[c]) * inverseScale[c] : v;
    }
  }
  return out;
}
