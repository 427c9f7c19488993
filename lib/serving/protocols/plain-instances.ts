// The body almost every `:predict` call sends — `{"instances": [[1.5, -2, ...], ...]}`: one key,
// rows of finite numbers, for a model with one input whose instances are flat lists — taken as
// the feature rows once parsed (json-body.ts: bounded, then JSON.parse), with one check of its
// shape instead of the tensor decoding and row packing of tf-predict.ts. Anything else — another
// key, an object, a string, a nested list, a row of another width, a non-finite number — is
// answered null and decoded the general way, with TF Serving's messages; so this only ever
// returns what the general path would (tests/unit/serving/protocols/plain-instances.test.ts).
import { rowWidth, type ModelSignature } from "./model";

/** The row width a signature takes from a flat instance list, or 0 when its instances are anything else. */
function flatRowWidth(signature: ModelSignature): number {
  if (signature.inputs.length !== 1) return 0;
  const spec = signature.inputs[0];
  if (spec.dtype !== "DT_FLOAT" && spec.dtype !== "DT_DOUBLE") return 0; // integer types check each value: general path
  const width = rowWidth(spec);
  if (!Number.isInteger(width) || width < 1) return 0;
  // featureRowsOrThrow compares the non-batch dimensions without the 1s: [b, width] must match the spec's.
  const dims = spec.shape.slice(1).filter((d) => d !== 1);
  return (width === 1 ? dims.length === 0 : dims.length === 1 && dims[0] === width) ? width : 0;
}

/**
 * The feature rows of a parsed plain `{"instances": [[numbers], ...]}` body for `signature`,
 * exactly as decodePredictRequestOrThrow + featureRowsOrThrow would give them (the instance lists
 * themselves); null when the body is anything else (decode it the general way).
 */
export function plainInstanceRows(doc: Record<string, unknown>, signature: ModelSignature): number[][] | null {
  const width = flatRowWidth(signature);
  if (width === 0) return null;
  const keys = Object.keys(doc);
  if (keys.length !== 1 || keys[0] !== "instances") return null;
  const instances = doc.instances;
  if (!Array.isArray(instances) || instances.length === 0) return null;
  for (let r = 0; r < instances.length; r++) {
    const row: unknown = instances[r];
    if (!Array.isArray(row) || row.length !== width) return null;
    for (let c = 0; c < width; c++) {
      const v: unknown = row[c];
      if (typeof v !== "number" || !Number.isFinite(v)) return null; // 1e400 parses to Infinity: refused by the general path
    }
  }
  return instances as number[][];
}
