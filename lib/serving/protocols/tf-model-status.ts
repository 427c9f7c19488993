// TF Serving's model status and metadata answers (tensorflow/serving
// tensorflow_serving/g3doc/api_rest.md "Model status API" / "Model Metadata API";
// model_servers/get_model_status_impl.cc; model_servers/http_rest_api_util.cc ToJsonString, which
// prints GetModelStatusResponse and GetModelMetadataResponse as protobuf JSON: int64 as strings,
// enums by name, fields without presence printed with their defaults).
import { invalidArgument, notFound } from "./errors";
import { DEFAULT_SIGNATURE_NAME, resolveServedVersionOrThrow, type ServedModel, type ServedVersion, type TensorSpec } from "./model";
import type { VersionSelector } from "./paths";

export interface ModelVersionStatusJson {
  version: string;
  state: string;
  status: { error_code: string; error_message: string };
}

export interface ModelStatusBody {
  model_version_status: ModelVersionStatusJson[];
}

function versionStatus(v: ServedVersion): ModelVersionStatusJson {
  return {
    version: String(v.version),
    state: v.state,
    status: { error_code: v.error?.code ?? "OK", error_message: v.error?.message ?? "" },
  };
}

/**
 * GET /v1/models/{name}[/versions/{v}|/labels/{l}]: every version newest first (the state
 * monitor's VersionMap is ordered by std::greater), or the one named. A label is resolved to its
 * version here; TF Serving's GetModelStatus ignores labels and lists every version.
 */
export function modelStatusBodyOrThrow(model: ServedModel | null, name: string, selector: VersionSelector): ModelStatusBody {
  let wanted: number | null = null;
  if (selector.kind === "version") wanted = selector.version;
  else if (selector.kind === "label") {
    const labels = model?.labels;
    if (!labels || !Object.hasOwn(labels, selector.label)) throw invalidArgument(`Unrecognized servable version label: ${selector.label}`);
    wanted = labels[selector.label];
  }
  if (wanted !== null) {
    const v = model?.versions.find((x) => x.version === wanted);
    if (!v) throw notFound(`Could not find version ${wanted} of model ${name}`);
    return { model_version_status: [versionStatus(v)] };
  }
  if (!model || model.versions.length === 0) throw notFound(`Could not find any versions of model ${name}`);
  const versions = [...model.versions].sort((a, b) => b.version - a.version);
  return { model_version_status: versions.map(versionStatus) };
}

interface TensorInfoJson {
  dtype: string;
  tensor_shape: { dim: { size: string; name: string }[]; unknown_rank: boolean };
  name: string;
}

export interface SignatureDefJson {
  inputs: Record<string, TensorInfoJson>;
  outputs: Record<string, TensorInfoJson>;
  method_name: string;
  defaults: Record<string, never>;
}

export interface ModelMetadataBody {
  model_spec: { name: string; signature_name: string; version: string };
  metadata: { signature_def: { signature_def: Record<string, SignatureDefJson> } };
}

function tensorInfo(spec: TensorSpec): TensorInfoJson {
  return {
    dtype: spec.dtype,
    tensor_shape: { dim: spec.shape.map((d) => ({ size: String(d), name: "" })), unknown_rank: false },
    // A graph tensor's name ("x:0" in a SavedModel); the input's own name with output index 0.
    name: `${spec.name}:0`,
  };
}

/** A version's signature as a SignatureDef of method tensorflow/serving/predict. */
export function signatureDefJson(version: ServedVersion): SignatureDefJson {
  const inputs: Record<string, TensorInfoJson> = {};
  for (const s of version.signature.inputs) inputs[s.name] = tensorInfo(s);
  const outputs: Record<string, TensorInfoJson> = {};
  for (const s of version.signature.outputs) outputs[s.name] = tensorInfo(s);
  return { inputs, outputs, method_name: "tensorflow/serving/predict", defaults: {} };
}

/**
 * GET /v1/models/{name}[/versions/{v}|/labels/{l}]/metadata: the served version's signature_def
 * map, nested under "metadata"."signature_def"."signature_def" exactly as TF Serving prints it
 * (its test file servables/tensorflow/testdata/saved_model_half_plus_two_2_versions_metadata.json).
 */
export function modelMetadataBodyOrThrow(model: ServedModel | null, name: string, selector: VersionSelector): ModelMetadataBody {
  const version = resolveServedVersionOrThrow(model, name, selector);
  return {
    model_spec: { name, signature_name: "", version: String(version.version) },
    metadata: { signature_def: { signature_def: { [DEFAULT_SIGNATURE_NAME]: signatureDefJson(version) } } },
  };
}
