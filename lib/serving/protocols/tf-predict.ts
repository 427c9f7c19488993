// TF Serving's Predict API over JSON (tensorflow/serving tensorflow_serving/g3doc/api_rest.md,
// "Predict API"; implementation tensorflow_serving/util/json_tensor.cc FillPredictRequestFromJson,
// MakeJsonFromTensors): the row ("instances") and columnar ("inputs") request formats decoded to
// named tensors, those checked against a tabular model's signature and packed as feature rows, and
// the model's output matrix answered as "predictions" or "outputs" in the shape TF Serving gives.
import { invalidArgument, ProtocolError, statusString } from "./errors";
import { bodySizeError, jsonDebugString, parseJsonObjectOrThrow } from "./json-body";
import { DEFAULT_SIGNATURE_NAME, rowWidth, type ModelSignature, type TensorSpec } from "./model";
import { plainInstanceRows } from "./plain-instances";
import { decodeDenseTensorOrThrow, nestValues, shapeString, type DenseTensor } from "./tensor-json";

export type PredictFormat = "row" | "columnar";

export interface DecodedPredictRequest {
  format: PredictFormat;
  /** Input name → tensor, in the signature's input order. */
  tensors: Map<string, DenseTensor>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** `{"b64": "..."}`: TF Serving's binary value, never a named-input object (IsValBase64Object). */
const isBase64Object = (v: unknown): boolean => isObject(v) && Object.keys(v).length === 1 && typeof v.b64 === "string";
const isElementObject = (v: unknown): v is Record<string, unknown> => isObject(v) && !isBase64Object(v);

function formatError(doc: unknown, ...parts: string[]): ProtocolError {
  return invalidArgument(`JSON Value: ${jsonDebugString(doc)} ${parts.join("")}`);
}

/** FillSignature + GetInfoMap: the signature a request names; only the default one exists here. */
function checkSignatureNameOrThrow(doc: Record<string, unknown>): void {
  if (!Object.hasOwn(doc, "signature_name")) return;
  const name = doc.signature_name;
  if (typeof name !== "string") throw formatError(doc, "not formatted correctly. 'signature_name' key must be a string value.");
  const signame = name === "" ? DEFAULT_SIGNATURE_NAME : name;
  if (signame !== DEFAULT_SIGNATURE_NAME) throw invalidArgument(`Serving signature name: "${signame.slice(0, 256)}" not found in signature def`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** FillTensorMapFromInstancesList: each element one instance, batched on a new first dimension. */
function decodeInstancesOrThrow(instances: unknown[], inputs: readonly TensorSpec[]): Map<string, DenseTensor> {
  if (!isObject(instances[0]) && inputs.length > 1) {
    throw invalidArgument("instances is a plain list, but expecting list of objects as multiple input tensors required as per tensorinfo_map");
  }
  const byName = new Map(inputs.map((s) => [s.name, s]));
  const inputNames = [...byName.keys()].sort();
  const elementsAreObjects = isElementObject(instances[0]);
  const shapes = new Map<string, number[]>();
  const values = new Map<string, number[]>();
  const add = (item: unknown, name: string) => {
    const spec = byName.get(name);
    if (!spec) throw invalidArgument(`JSON object: does not have named input: ${name}`);
    const t = decodeDenseTensorOrThrow(item, spec.dtype);
    const first = shapes.get(name);
    if (!first) {
      shapes.set(name, t.shape);
      values.set(name, t.values);
      return;
    }
    const firstSize = first.reduce((n, d) => n * d, 1);
    if (firstSize !== t.values.length) throw invalidArgument(`Expecting tensor size: ${firstSize} but got: ${t.values.length}`);
    if (!sameShape(first, t.shape)) throw invalidArgument(`Expecting shape ${shapeString(first)} but got: ${shapeString(t.shape)}`);
    const all = values.get(name)!;
    for (let i = 0; i < t.values.length; i++) all.push(t.values[i]);
  };
  for (let n = 0; n < instances.length; n++) {
    const elem = instances[n];
    if (elementsAreObjects) {
      if (!isElementObject(elem)) throw invalidArgument(`Expecting object but got list at item ${n} of input list`);
      const keys = Object.keys(elem);
      for (const name of keys) {
        try {
          add(elem[name], name);
        } catch (e) {
          if (!(e instanceof ProtocolError)) throw e;
          throw invalidArgument(`Failed to process element: ${n} key: ${name.slice(0, 256)} of 'instances' list. Error: ${statusString(e)}`);
        }
      }
      const sortedKeys = keys.sort();
      if (!sameKeys(sortedKeys, inputNames)) {
        throw invalidArgument(`Failed to process element: ${n} of 'instances' list. JSON object: ${jsonDebugString(elem)} keys must be equal to: ${inputNames.join(",")}`);
      }
    } else {
      if (isElementObject(elem)) throw invalidArgument(`Expecting value/list but got object at item ${n} of input list`);
      try {
        add(elem, inputs[0].name);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        throw invalidArgument(`Failed to process element: ${n} of 'instances' list. Error: ${statusString(e)}`);
      }
    }
  }
  const tensors = new Map<string, DenseTensor>();
  for (const spec of inputs) {
    const shape = shapes.get(spec.name);
    if (shape) tensors.set(spec.name, { shape: [instances.length, ...shape], values: values.get(spec.name)! });
  }
  return tensors;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/** FillTensorMapFromInputsMap: one tensor, or an object of named tensors, each given whole. */
function decodeInputsOrThrow(value: unknown, inputs: readonly TensorSpec[]): Map<string, DenseTensor> {
  const tensors = new Map<string, DenseTensor>();
  if (!isObject(value) || isBase64Object(value)) {
    if (inputs.length > 1) throw invalidArgument("inputs is a plain value/list, but expecting an object as multiple input tensors required as per tensorinfo_map");
    tensors.set(inputs[0].name, decodeDenseTensorOrThrow(value, inputs[0].dtype));
    return tensors;
  }
  for (const spec of inputs) {
    if (!Object.hasOwn(value, spec.name)) throw invalidArgument(`Missing named input: ${spec.name} in 'inputs' object.`);
    tensors.set(spec.name, decodeDenseTensorOrThrow(value[spec.name], spec.dtype));
  }
  return tensors;
}

/** FillPredictRequestFromJson for a model with `signature` as its only (default) signature. */
export function decodePredictRequestOrThrow(doc: Record<string, unknown>, signature: ModelSignature): DecodedPredictRequest {
  checkSignatureNameOrThrow(doc);
  if (signature.inputs.length === 0) throw invalidArgument(`Failed to get input map for signature: DEFAULT`);
  const hasInstances = Object.hasOwn(doc, "instances");
  const hasInputs = Object.hasOwn(doc, "inputs");
  if (hasInstances && hasInputs) throw formatError(doc, "Not formatted correctly expecting only", " one of 'inputs' or 'instances' keys to exist ");
  if (hasInstances) {
    const instances = doc.instances;
    if (!Array.isArray(instances)) throw formatError(doc, "Expecting 'instances' to be an list/array");
    if (instances.length === 0) throw formatError(doc, "No values in 'instances' array");
    return { format: "row", tensors: decodeInstancesOrThrow(instances, signature.inputs) };
  }
  if (hasInputs) return { format: "columnar", tensors: decodeInputsOrThrow(doc.inputs, signature.inputs) };
  throw invalidArgument("Missing 'inputs' or 'instances' key");
}

/**
 * A `:predict` body → its format and the model's feature rows: size (413), JSON bounds and syntax,
 * the request format, then the signature's shapes.
 */
export function decodePredictBodyOrThrow(text: string, byteLength: number, signature: ModelSignature): { format: PredictFormat; rows: number[][] } {
  const tooLarge = bodySizeError(byteLength);
  if (tooLarge) throw tooLarge;
  const doc = parseJsonObjectOrThrow(text);
  // The common plain body with one check of its shape (./plain-instances.ts); anything else the general way.
  const plain = plainInstanceRows(doc, signature);
  if (plain) return { format: "row", rows: plain };
  const request = decodePredictRequestOrThrow(doc, signature);
  return { format: request.format, rows: featureRowsOrThrow(request.tensors, signature) };
}

/** The non-batch dimensions with the 1s left out: [b, 4, 1] and [b, 4] take the same rows. */
function rowDims(shape: readonly number[]): number[] {
  return shape.slice(1).filter((d) => d !== 1);
}

/**
 * The decoded tensors as the model's feature rows: each input's tensor must have a batch dimension
 * and the signature's shape after it (dimensions of size 1 may be left out or added), all inputs
 * the same batch size; a row is the inputs' values in signature order. TF Serving leaves these
 * checks to the graph; the messages say what the model needs.
 */
export function featureRowsOrThrow(tensors: ReadonlyMap<string, DenseTensor>, signature: ModelSignature): number[][] {
  let batch = -1;
  let firstName = "";
  const parts: { values: number[]; width: number }[] = [];
  for (const spec of signature.inputs) {
    const t = tensors.get(spec.name);
    if (!t) throw invalidArgument(`Missing named input: ${spec.name}`);
    const width = rowWidth(spec);
    const perRow = t.shape.slice(1).reduce((n, d) => n * d, 1);
    if (t.shape.length === 0 || perRow !== width || !sameShape(rowDims(t.shape), rowDims(spec.shape))) {
      throw invalidArgument(
        `Input tensor ${spec.name} has shape ${shapeString(t.shape)}, but the signature needs ${shapeString(spec.shape)}: ${width === 1 ? "one value" : `${width} values`} per instance`,
      );
    }
    const b = t.shape[0];
    if (b === 0) throw invalidArgument(`Input tensor ${spec.name} has no instances (batch size 0)`);
    if (batch >= 0 && b !== batch) throw invalidArgument(`Input tensor ${spec.name} has inconsistent batch size: ${b} expecting: ${batch} (the batch size of ${firstName})`);
    if (batch < 0) {
      batch = b;
      firstName = spec.name;
    }
    parts.push({ values: t.values, width });
  }
  const rows: number[][] = new Array(batch);
  for (let r = 0; r < batch; r++) {
    const row: number[] = [];
    for (const p of parts) for (let c = 0; c < p.width; c++) row.push(p.values[r * p.width + c]);
    rows[r] = row;
  }
  return rows;
}

/** The model's answer for a batch: `batch` rows of `width` values, row-major (the engine's output). */
export interface OutputMatrix {
  batch: number;
  width: number;
  data: ArrayLike<number>;
}

/** The engine's answer (one list of values per row) as an OutputMatrix; rows of unequal width are an internal error. */
export function outputMatrixOrThrow(rows: readonly (readonly number[])[]): OutputMatrix {
  const width = rows.length ? rows[0].length : 0;
  const data: number[] = new Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    if (rows[r].length !== width) throw new ProtocolError("INTERNAL", `The model returned ${rows[r].length} values for instance ${r} and ${width} for instance 0`);
    for (let c = 0; c < width; c++) data[r * width + c] = rows[r][c];
  }
  return { batch: rows.length, width, data };
}

/** 10^k for the exponents float32JsonNumber meets (normal float32s: k from -38 - 9 to 38). */
const POW10_OFFSET = 50;
const POW10 = Array.from({ length: 100 }, (_, i) => 10 ** (i - POW10_OFFSET));

/**
 * The shortest decimal that reads back as the same float32: what TF Serving's WriteDecimal aims at
 * (no noise digits from widening a float to a double); 0.1f is answered as 0.1, not 0.10000000149.
 */
export function float32JsonNumber(v: number): number {
  if (!Number.isFinite(v)) return v;
  const f = Math.fround(v);
  const a = Math.abs(f);
  // Ruling out a precision with arithmetic before paying for toPrecision (most outputs need 7-9
  // digits): a p-digit decimal reads back as f only within half a float32 ulp of it, at most
  // a·2^-24 for a normal float32. Its distance to the nearest multiple of 10^(e-p), e the
  // decimal exponent estimated by log10 (off by at most one), is at most that of the p-digit
  // decimal toPrecision gives, so where even that distance is larger the p is skipped; the
  // answer is the one the plain loop over p gives (tests compare them over many floats).
  const e = a >= 2 ** -126 ? Math.floor(Math.log10(a)) : NaN; // subnormals: no shortcut
  for (let p = 1; p <= 9; p++) {
    if (p < 9 && e === e) {
      const x = a / POW10[e - p + POW10_OFFSET]; // f on a grid one step finer than the p-digit one
      if (Math.abs(x - Math.round(x)) > x * 2 ** -24 * 1.01 + 1e-6) continue;
    }
    const n = Number(f.toPrecision(p));
    if (Math.fround(n) === f) return n;
  }
  return f;
}

/** The output matrix cut into the signature's named outputs, in order ([-1] takes one column, [-1, k] takes k). */
export function splitOutputsOrThrow(matrix: OutputMatrix, outputs: readonly TensorSpec[]): Map<string, DenseTensor> {
  const total = outputs.reduce((n, s) => n + rowWidth(s), 0);
  if (total !== matrix.width) throw new ProtocolError("INTERNAL", `The model returned ${matrix.width} values per instance; its signature has ${total}`);
  if (matrix.data.length !== matrix.batch * matrix.width) throw new ProtocolError("INTERNAL", `The model returned ${matrix.data.length} values for ${matrix.batch} instances of ${matrix.width}`);
  const tensors = new Map<string, DenseTensor>();
  let col = 0;
  for (const spec of outputs) {
    const width = rowWidth(spec);
    const values: number[] = new Array(matrix.batch * width);
    const asJson = spec.dtype === "DT_FLOAT" ? float32JsonNumber : (v: number) => v;
    for (let r = 0; r < matrix.batch; r++) for (let c = 0; c < width; c++) values[r * width + c] = asJson(matrix.data[r * matrix.width + col + c]);
    tensors.set(spec.name, { shape: [matrix.batch, ...spec.shape.slice(1)], values });
    col += width;
  }
  return tensors;
}

export type PredictResponseBody = { predictions: unknown } | { outputs: unknown };

/**
 * MakeJsonFromTensors: a row request is answered `{"predictions": [...]}`, one entry per instance
 * (the value itself for one output, an object of named values for several); a columnar one
 * `{"outputs": ...}`, the tensor itself for one output, an object of named tensors for several.
 * Non-finite values stay numbers here; JSON.stringify writes them as null (TF Serving writes NaN).
 */
export function predictResponseBody(format: PredictFormat, outputs: ReadonlyMap<string, DenseTensor>): PredictResponseBody {
  if (outputs.size === 0) throw invalidArgument("Cannot convert empty tensor map to JSON");
  const named = outputs.size > 1;
  if (format === "columnar") {
    if (!named) {
      const [t] = outputs.values();
      return { outputs: nestValues(t.values, t.shape) };
    }
    const out: Record<string, unknown> = {};
    for (const [name, t] of outputs) out[name] = nestValues(t.values, t.shape);
    return { outputs: out };
  }
  let batch = -1;
  for (const [name, t] of outputs) {
    if (t.shape.length === 0) throw invalidArgument(`Tensor name: ${name} has no shape information `);
    if (batch >= 0 && batch !== t.shape[0]) throw invalidArgument(`Tensor name: ${name} has inconsistent batch size: ${t.shape[0]} expecting: ${batch}`);
    batch = t.shape[0];
  }
  const predictions: unknown[] = new Array(batch);
  for (let item = 0; item < batch; item++) {
    if (!named) {
      const [t] = outputs.values();
      const inner = t.shape.slice(1);
      predictions[item] = nestValues(t.values, inner, item * inner.reduce((n, d) => n * d, 1));
      continue;
    }
    const obj: Record<string, unknown> = {};
    for (const [name, t] of outputs) {
      const inner = t.shape.slice(1);
      obj[name] = nestValues(t.values, inner, item * inner.reduce((n, d) => n * d, 1));
    }
    predictions[item] = obj;
  }
  return { predictions };
}

/** `:classify` and `:regress` on a predict-only model: TF Serving's own message (classifier.cc / regressor.cc). */
export function unsupportedMethodError(method: "classify" | "regress"): ProtocolError {
  const [what, methodName] = method === "classify" ? ["classification", "tensorflow/serving/classify"] : ["regression", "tensorflow/serving/regress"];
  return invalidArgument(`Expected ${what} signature method_name to be ${methodName}. Was: tensorflow/serving/predict (this server serves :predict only)`);
}
