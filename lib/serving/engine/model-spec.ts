// What the engine knows about a model before any worker loads it: its bytes (tfjs layers format:
// model.json text + weights.bin, as `track.logModel` saves them), the size limit, and the input
// width read from the topology, so that bad rows are refused without a worker round trip.
import { ServingError } from "./errors";

/** A tfjs layers model as stored: `model.json` text and the concatenated weights. */
export interface ModelBytes {
  modelJson: string;
  weights: ArrayBuffer;
}

export interface ModelShape {
  /** Features per row (the model's input shape [batch, width]). */
  inputWidth: number;
  /** Values per row the model returns, when the topology tells it (the worker confirms it). */
  outputWidth: number | null;
}

export function modelByteSize(bytes: ModelBytes): number {
  // model.json is ASCII in practice; its UTF-16 length is a close upper bound without encoding it.
  return bytes.weights.byteLength + bytes.modelJson.length;
}

const MB = 1024 * 1024;
const sizeText = (bytes: number) => (bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`);

export function checkModelSizeOrThrow(bytes: ModelBytes, maxModelBytes: number): void {
  const size = modelByteSize(bytes);
  if (size > maxModelBytes) {
    throw new ServingError("load-failed", `The model is ${sizeText(size)}; the limit per model is ${sizeText(maxModelBytes)}`);
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** [batch, width] from a layer config (`batch_input_shape` in Keras JSON, `batchInputShape` as tfjs writes some). */
function widthOf(config: unknown): number | null {
  if (!isObject(config)) return null;
  const shape = config.batch_input_shape ?? config.batchInputShape;
  if (Array.isArray(shape)) {
    if (shape.length !== 2 || typeof shape[1] !== "number") throw new ServingError("load-failed", `The model's input shape is [${shape.map(String).join(", ")}]; serving takes models with one input of shape [batch, features]`);
    return shape[1];
  }
  const input = config.input_shape ?? config.inputShape;
  if (Array.isArray(input)) {
    if (input.length !== 1 || typeof input[0] !== "number") throw new ServingError("load-failed", `The model's input shape is [${input.map(String).join(", ")}]; serving takes models with one input of shape [batch, features]`);
    return input[0];
  }
  return null;
}

function lastUnits(layers: unknown[]): number | null {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    if (!isObject(layer) || !isObject(layer.config)) continue;
    if (typeof layer.config.units === "number") return layer.config.units;
    // Activation/Dropout layers keep the width; anything else we cannot tell from JSON alone.
    if (!["Activation", "Dropout", "BatchNormalization"].includes(String(layer.class_name))) return null;
  }
  return null;
}

/**
 * Reads the input width from model.json (Sequential: the first layer's batch_input_shape;
 * functional: the one InputLayer named in input_layers). Throws load-failed for text that is not
 * a tfjs layers model.json; returns null for the width when the JSON is valid but does not say it.
 */
export function readModelShapeOrThrow(modelJson: string): { inputWidth: number | null; outputWidth: number | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(modelJson);
  } catch (e) {
    throw new ServingError("load-failed", `model.json is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(parsed) || !isObject(parsed.modelTopology)) throw new ServingError("load-failed", "model.json has no modelTopology: it is not a TensorFlow.js layers model");
  if (!Array.isArray(parsed.weightsManifest)) throw new ServingError("load-failed", "model.json has no weightsManifest: it is not a TensorFlow.js layers model");
  const topology = parsed.modelTopology;
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  const config = model.config;
  const className = String(model.class_name ?? "");
  if (className === "Sequential") {
    const layers = Array.isArray(config) ? config : isObject(config) && Array.isArray(config.layers) ? config.layers : [];
    const first = layers[0];
    return { inputWidth: isObject(first) ? widthOf(first.config) : null, outputWidth: lastUnits(layers) };
  }
  if (!isObject(config) || !Array.isArray(config.layers)) throw new ServingError("load-failed", `model.json's topology (${className || "no class_name"}) is not a Sequential or functional layers model`);
  const inputs = Array.isArray(config.input_layers) ? config.input_layers : [];
  const outputs = Array.isArray(config.output_layers) ? config.output_layers : [];
  if (inputs.length !== 1 || outputs.length !== 1) throw new ServingError("load-failed", `The model has ${inputs.length} inputs and ${outputs.length} outputs; serving takes models with one of each`);
  const inputName = Array.isArray(inputs[0]) ? inputs[0][0] : null;
  const inputLayer = config.layers.find((l) => isObject(l) && (l.name === inputName || (isObject(l.config) && l.config.name === inputName)));
  return { inputWidth: isObject(inputLayer) ? widthOf(inputLayer.config) : null, outputWidth: null };
}
