// The Open Inference Protocol v2 over REST (kserve/open-inference-protocol
// specification/protocol/inference_rest.md; schemas in open_inference_rest.yaml): inference
// requests decoded to a tabular model's feature rows, responses, model metadata and the health
// answers. Error texts and statuses follow KServe's server (kserve/kserve
// python/kserve/kserve/errors.py: InvalidInput 400, ModelNotFound 404, ModelNotReady).
import { invalidArgument, notFound, ProtocolError } from "./errors";
import { bodySizeError, jsonDebugString, parseJsonObjectOrThrow } from "./json-body";
import { resolveServedVersionOrThrow, type ModelSignature, type ServedModel, type ServedVersion, type TfDtype } from "./model";
import { shapeString, type DenseTensor } from "./tensor-json";
import { featureRowsOrThrow } from "./tf-predict";

/** The OIP data types this server takes ("Tensor Data Types" table). */
export const OIP_DATATYPES = ["FP32", "FP64", "INT32", "INT64", "BOOL"] as const;
export type OipDatatype = (typeof OIP_DATATYPES)[number];

/** Largest rank of an input tensor. */
export const MAX_OIP_RANK = 8;

export function oipDatatypeOf(dtype: TfDtype): OipDatatype {
  switch (dtype) {
    case "DT_FLOAT":
      return "FP32";
    case "DT_DOUBLE":
      return "FP64";
    case "DT_INT32":
      return "INT32";
    case "DT_INT64":
      return "INT64";
  }
}

export interface OipTensorMetadata {
  name: string;
  datatype: OipDatatype;
  shape: number[];
}

export interface OipModelMetadataBody {
  name: string;
  versions: string[];
  platform: string;
  inputs: OipTensorMetadata[];
  outputs: OipTensorMetadata[];
}

export interface DecodedInferRequest {
  id: string | null;
  /** Input name → tensor (values as numbers; BOOL as 1 and 0). */
  tensors: Map<string, DenseTensor>;
  /** The feature rows for the model, in its signature's order. */
  rows: number[][];
  /** The outputs asked for by name, in the order asked; null for all. */
  outputs: string[] | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function modelNotFound(name: string): ProtocolError {
  return notFound(`Model with name ${name} does not exist.`);
}

export function modelNotReady(name: string): ProtocolError {
  return new ProtocolError("UNAVAILABLE", `Model with name ${name} is not ready.`);
}

/**
 * The version an OIP request is served by: the one named in the path (any state it is in must be
 * AVAILABLE, else "not ready", 503), or the latest available one.
 */
export function resolveOipVersionOrThrow(model: ServedModel | null, name: string, version: string | null): ServedVersion {
  if (!model) throw modelNotFound(name);
  if (version === null) {
    try {
      return resolveServedVersionOrThrow(model, name, { kind: "latest" });
    } catch {
      throw modelNotReady(name);
    }
  }
  const found = model.versions.find((v) => String(v.version) === version);
  if (!found) throw notFound(`Model with name ${name} has no version ${version}.`);
  if (found.state !== "AVAILABLE") throw modelNotReady(name);
  return found;
}

/** GET /v2/models/{name}[/versions/{v}]: `$metadata_model_response`. */
export function oipModelMetadataBody(model: ServedModel, version: ServedVersion): OipModelMetadataBody {
  const tensor = (s: { name: string; dtype: TfDtype; shape: readonly number[] }): OipTensorMetadata => ({ name: s.name, datatype: oipDatatypeOf(s.dtype), shape: [...s.shape] });
  return {
    name: model.name,
    versions: [...model.versions].sort((a, b) => a.version - b.version).map((v) => String(v.version)),
    platform: model.platform ?? "tensorflowjs_layers",
    inputs: version.signature.inputs.map(tensor),
    outputs: version.signature.outputs.map(tensor),
  };
}

/** GET /v2/models/{name}[/versions/{v}]/ready: `$ready_model_response` when ready; 503 "not ready" (KServe) otherwise. */
export function oipModelReadyBodyOrThrow(model: ServedModel | null, name: string, version: string | null): { name: string; ready: true } {
  resolveOipVersionOrThrow(model, name, version);
  return { name, ready: true };
}

/** GET /v2/health/ready: KServe answers `{"ready": true}` (v2_endpoints.py ServerReadyResponse); 503 when not ready. */
export function oipServerReadyReply(ready: boolean): { status: number; body: { ready: boolean } } {
  return { status: ready ? 200 : 503, body: { ready } };
}

/** GET /v2/health/live: `$live_server_response`. */
export function oipServerLiveReply(live: boolean): { status: number; body: { live: boolean } } {
  return { status: live ? 200 : 503, body: { live } };
}

/** GET /v2: `$metadata_server_response`. */
export function oipServerMetadataBody(name: string, version: string): { name: string; version: string; extensions: string[] } {
  return { name, version, extensions: [] };
}

function describeInput(i: number, name: unknown): string {
  return typeof name === "string" ? `input '${name.slice(0, 256)}'` : `inputs[${i}]`;
}

function checkParametersOrThrow(v: unknown, where: string): void {
  if (v === undefined) return;
  if (!isObject(v)) throw invalidArgument(`'parameters' of ${where} must be an object, got ${jsonDebugString(v)}`);
  for (const [k, p] of Object.entries(v)) {
    if (typeof p !== "string" && typeof p !== "number" && typeof p !== "boolean") {
      throw invalidArgument(`Parameter '${k.slice(0, 256)}' of ${where} must be a string, number or boolean, got ${jsonDebugString(p)}`);
    }
  }
}

function shapeOrThrow(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape) || shape.length > MAX_OIP_RANK || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw invalidArgument(`'shape' of ${where} must be a list of at most ${MAX_OIP_RANK} non-negative integers, got ${jsonDebugString(shape)}`);
  }
  return shape as number[];
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function elementOrThrow(v: unknown, datatype: OipDatatype, where: string): number {
  let ok: boolean;
  switch (datatype) {
    case "FP32":
    case "FP64":
      ok = typeof v === "number" && Number.isFinite(v);
      break;
    case "INT32":
      ok = Number.isInteger(v) && (v as number) >= INT32_MIN && (v as number) <= INT32_MAX;
      break;
    case "INT64":
      ok = Number.isSafeInteger(v);
      break;
    case "BOOL":
      if (typeof v === "boolean") return v ? 1 : 0;
      ok = false;
      break;
  }
  if (!ok) throw invalidArgument(`${where}: value ${jsonDebugString(v)} is not of datatype ${datatype}${datatype.startsWith("FP") ? " (a finite number)" : ""}`);
  return v as number;
}

/** Tensor data, flattened (row-major) or nested: every element in document order, typed; ragged lists are fine as long as the count matches the shape. */
function flattenDataOrThrow(data: unknown, datatype: OipDatatype, where: string, limit: number): number[] {
  if (!Array.isArray(data)) throw invalidArgument(`'data' of ${where} must be a list, got ${jsonDebugString(data)}`);
  const out: number[] = [];
  const lists: unknown[][] = [data];
  const next: number[] = [0];
  while (lists.length) {
    const top = lists.length - 1;
    const list = lists[top];
    const i = next[top];
    if (i === list.length) {
      lists.pop();
      next.pop();
      continue;
    }
    next[top] = i + 1;
    const v = list[i];
    if (Array.isArray(v)) {
      lists.push(v);
      next.push(0);
      continue;
    }
    if (out.length === limit) throw invalidArgument(`${where} has more values than its shape holds (${limit})`);
    out.push(elementOrThrow(v, datatype, where));
  }
  return out;
}

/**
 * `$inference_request` → feature rows for a version's signature. Every input is checked (name,
 * datatype, shape, data whose count is the shape's product); the inputs must be exactly the
 * signature's, each of the signature's shape with a batch first, as for TF Serving's columnar format.
 */
export function decodeInferRequestOrThrow(doc: Record<string, unknown>, signature: ModelSignature, modelName: string): DecodedInferRequest {
  let id: string | null = null;
  if (Object.hasOwn(doc, "id")) {
    if (typeof doc.id !== "string") throw invalidArgument(`'id' must be a string, got ${jsonDebugString(doc.id)}`);
    id = doc.id;
  }
  checkParametersOrThrow(doc.parameters, "the request");
  const inputs = doc.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) throw invalidArgument(`'inputs' must be a non-empty list of input tensors, got ${jsonDebugString(inputs)}`);
  const known = new Set(signature.inputs.map((s) => s.name));
  const tensors = new Map<string, DenseTensor>();
  for (let i = 0; i < inputs.length; i++) {
    const input: unknown = inputs[i];
    if (!isObject(input)) throw invalidArgument(`inputs[${i}] must be an object, got ${jsonDebugString(input)}`);
    const where = describeInput(i, input.name);
    if (typeof input.name !== "string") throw invalidArgument(`'name' of inputs[${i}] must be a string`);
    if (!known.has(input.name)) {
      throw invalidArgument(`Unexpected inference input '${input.name.slice(0, 256)}' for model '${modelName}': it takes ${[...known].map((n) => `'${n}'`).join(", ")}`);
    }
    if (tensors.has(input.name)) throw invalidArgument(`${where} is given more than once`);
    if (typeof input.datatype !== "string" || !(OIP_DATATYPES as readonly string[]).includes(input.datatype)) {
      throw invalidArgument(`Unsupported datatype ${jsonDebugString(input.datatype)} of ${where}: this server takes ${OIP_DATATYPES.join(", ")}`);
    }
    const shape = shapeOrThrow(input.shape, where);
    checkParametersOrThrow(input.parameters, where);
    const expected = shape.reduce((n, d) => n * d, 1);
    const values = flattenDataOrThrow(input.data, input.datatype as OipDatatype, where, expected);
    if (values.length !== expected) throw invalidArgument(`${where} has ${values.length} values, but its shape ${shapeString(shape)} holds ${expected}`);
    tensors.set(input.name, { shape, values });
  }
  const missing = signature.inputs.filter((s) => !tensors.has(s.name)).map((s) => `'${s.name}'`);
  if (missing.length) throw invalidArgument(`Expected ${signature.inputs.length} inputs but got ${tensors.size} inputs for model '${modelName}': missing ${missing.join(", ")}`);
  const rows = featureRowsOrThrow(tensors, signature);

  let outputs: string[] | null = null;
  if (doc.outputs !== undefined) {
    if (!Array.isArray(doc.outputs)) throw invalidArgument(`'outputs' must be a list of requested outputs, got ${jsonDebugString(doc.outputs)}`);
    const names = new Set(signature.outputs.map((s) => s.name));
    outputs = [];
    for (let i = 0; i < doc.outputs.length; i++) {
      const o: unknown = doc.outputs[i];
      if (!isObject(o) || typeof o.name !== "string") throw invalidArgument(`outputs[${i}] must be an object with a string 'name'`);
      if (!names.has(o.name)) throw invalidArgument(`Unexpected inference output '${o.name.slice(0, 256)}' for model '${modelName}': it gives ${[...names].map((n) => `'${n}'`).join(", ")}`);
      checkParametersOrThrow(o.parameters, `output '${o.name}'`);
      if (!outputs.includes(o.name)) outputs.push(o.name);
    }
  }
  return { id, tensors, rows, outputs };
}

export interface OipResponseOutput {
  name: string;
  shape: number[];
  datatype: OipDatatype;
  data: number[];
}

export interface OipInferResponseBody {
  model_name: string;
  model_version: string;
  id: string;
  outputs: OipResponseOutput[];
}

/**
 * `$inference_response`: the request's id (or `fallbackId`, as KServe makes one up when none was
 * sent), each output flattened row-major with its full shape, in the order asked (all, in the
 * signature's order, when none was asked). `outputs` come from tf-predict splitOutputsOrThrow.
 */
export function oipInferResponseBody(args: {
  modelName: string;
  version: ServedVersion;
  request: Pick<DecodedInferRequest, "id" | "outputs">;
  outputs: ReadonlyMap<string, DenseTensor>;
  fallbackId: string;
}): OipInferResponseBody {
  const { version, request } = args;
  const specs = new Map(version.signature.outputs.map((s) => [s.name, s]));
  const names = request.outputs ?? version.signature.outputs.map((s) => s.name);
  return {
    model_name: args.modelName,
    model_version: String(version.version),
    id: request.id ?? args.fallbackId,
    outputs: names.map((name) => {
      const t = args.outputs.get(name);
      const spec = specs.get(name);
      if (!t || !spec) throw new ProtocolError("INTERNAL", `The model gave no output '${name}'`);
      return { name, shape: [...t.shape], datatype: oipDatatypeOf(spec.dtype), data: t.values };
    }),
  };
}

/** A request body → decoded request: size (413), JSON bounds and syntax, then decodeInferRequestOrThrow. */
export function decodeInferBodyOrThrow(text: string, byteLength: number, signature: ModelSignature, modelName: string): DecodedInferRequest {
  const tooLarge = bodySizeError(byteLength);
  if (tooLarge) throw tooLarge;
  return decodeInferRequestOrThrow(parseJsonObjectOrThrow(text), signature, modelName);
}
