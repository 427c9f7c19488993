// The plain description of a served model the protocol layer answers from: its name, its versions
// with their states, its labels (aliases), and each version's signature (named input and output
// tensors). The registry and the engine fill it; nothing here loads a model.
import { invalidArgument, notFound, ProtocolError, type StatusCode } from "./errors";
import type { VersionSelector } from "./paths";

/** TF Serving's element types this server takes (tensorflow/core/framework/types.proto names). */
export type TfDtype = "DT_FLOAT" | "DT_DOUBLE" | "DT_INT32" | "DT_INT64";

export interface TensorSpec {
  name: string;
  dtype: TfDtype;
  /** The shape with the batch dimension first; -1 for a dimension of any size (the batch). */
  shape: readonly number[];
}

export interface ModelSignature {
  /** The inputs in the order their values form a row of the model's feature matrix. */
  inputs: readonly TensorSpec[];
  /**
   * The outputs in the order their columns come out of the model's output matrix: an output of
   * shape [-1] takes one column, one of shape [-1, k] takes k.
   */
  outputs: readonly TensorSpec[];
}

/** ModelVersionStatus.State (tensorflow_serving/apis/get_model_status.proto). */
export type VersionState = "UNKNOWN" | "START" | "LOADING" | "AVAILABLE" | "UNLOADING" | "END";

export interface ServedVersion {
  version: number;
  state: VersionState;
  /** Why the version is not serving (a failed load): TF Serving's `status` of the version. */
  error?: { code: StatusCode; message: string };
  signature: ModelSignature;
}

export interface ServedModel {
  name: string;
  versions: readonly ServedVersion[];
  /** Label (alias: champion, challenger, ...) → version number. */
  labels?: Readonly<Record<string, number>>;
  /** The OIP `platform` ("<project>_<format>"); default "tensorflowjs_layers". */
  platform?: string;
}

/** The name TF Serving gives the default signature (tensorflow/cc/saved_model/signature_constants.h). */
export const DEFAULT_SIGNATURE_NAME = "serving_default";

export interface FeatureSignatureArgs {
  /** Features per row. */
  featureCount: number;
  /**
   * Feature names in row order. With them every feature is its own named input of shape [-1]
   * (callers send `{"instances": [{"amount": 1, ...}]}`); without them the model has one input of
   * shape [-1, featureCount] (callers send `{"instances": [[1, ...]]}`).
   */
  featureNames?: readonly string[];
  /** The single input's name when there are no feature names; default "inputs". */
  inputName?: string;
  /** Output names; one name with `outputWidth` > 1 is one output of shape [-1, outputWidth]. Default ["outputs"]. */
  outputNames?: readonly string[];
  /** Columns of the model's output matrix; default: one per output name. */
  outputWidth?: number;
}

/** The signature of a tabular model: float features in, float columns out. */
export function featureSignature(args: FeatureSignatureArgs): ModelSignature {
  const { featureCount, featureNames } = args;
  if (!Number.isInteger(featureCount) || featureCount < 1) throw new Error(`featureCount must be a positive integer, got ${featureCount}`);
  if (featureNames && featureNames.length !== featureCount) throw new Error(`${featureNames.length} feature names for ${featureCount} features`);
  if (featureNames && new Set(featureNames).size !== featureNames.length) throw new Error("Feature names must be distinct");
  const inputs: TensorSpec[] = featureNames
    ? featureNames.map((name) => ({ name, dtype: "DT_FLOAT", shape: [-1] }))
    : [{ name: args.inputName ?? "inputs", dtype: "DT_FLOAT", shape: [-1, featureCount] }];
  const outputNames = args.outputNames ?? ["outputs"];
  const width = args.outputWidth ?? outputNames.length;
  let outputs: TensorSpec[];
  if (outputNames.length === width) outputs = outputNames.map((name) => ({ name, dtype: "DT_FLOAT", shape: [-1] }));
  else if (outputNames.length === 1) outputs = [{ name: outputNames[0], dtype: "DT_FLOAT", shape: [-1, width] }];
  else throw new Error(`${outputNames.length} output names for ${width} output columns`);
  return { inputs, outputs };
}

/** Values per row an input or output takes: the product of its dimensions after the batch. */
export function rowWidth(spec: TensorSpec): number {
  let w = 1;
  for (let i = 1; i < spec.shape.length; i++) w *= spec.shape[i];
  return w;
}

/** Features per row of a signature (the model's input width). */
export function featureCount(signature: ModelSignature): number {
  return signature.inputs.reduce((n, s) => n + rowWidth(s), 0);
}

/** ServableRequest::DebugString (tensorflow_serving/core/manager.h): how TF Serving names a request. */
function requestText(name: string, version: number | null): string {
  return version === null ? `Latest(${name})` : `Specific(${name}, ${version})`;
}

/**
 * The version a request is served by, as TF Serving resolves a ModelSpec (server_core.cc
 * ServableRequestFromModelSpec, basic_manager.cc): a label maps to its version ("Unrecognized
 * servable version label" otherwise, INVALID_ARGUMENT), latest is the highest AVAILABLE version,
 * and anything not AVAILABLE is "Servable not found for request: ..." (NOT_FOUND). `model` is null
 * when no model of that name is served to this caller. The HTTP layer may pick the version for
 * "latest" from the endpoint's deployment policy instead; this is the policy-free answer.
 */
export function resolveServedVersionOrThrow(model: ServedModel | null, name: string, selector: VersionSelector): ServedVersion {
  let wanted: number | null = null;
  if (selector.kind === "version") wanted = selector.version;
  else if (selector.kind === "label") {
    const v = model?.labels?.[selector.label];
    if (v === undefined || !Object.hasOwn(model!.labels!, selector.label)) throw invalidArgument(`Unrecognized servable version label: ${selector.label}`);
    wanted = v;
  }
  const available = model ? model.versions.filter((v) => v.state === "AVAILABLE") : [];
  const found = wanted === null ? available.reduce<ServedVersion | null>((best, v) => (best === null || v.version > best.version ? v : best), null) : (available.find((v) => v.version === wanted) ?? null);
  if (!found) throw notFound(`Servable not found for request: ${requestText(name, wanted)}`);
  return found;
}

export function isProtocolError(e: unknown): e is ProtocolError {
  return e instanceof ProtocolError;
}
