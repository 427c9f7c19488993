// A serving worker thread (worker-pool.ts starts them): TensorFlow.js with the wasm backend (cpu
// when wasm cannot start), models loaded from bytes on first use and kept least-recently-used
// under a memory budget. One message at a time; a predict is one model.predict call for a whole
// batch. Plain JavaScript so production runs it with `node` alone. Messages: protocol.ts.
import { parentPort } from "node:worker_threads";
import { sep } from "node:path";

const port = parentPort;
let tf = null;
let backend = "cpu";
let budget = 256 * 1024 * 1024;
/** key → { model, bytes, inputWidth }, in least-recently-used order (a Map keeps insertion order). */
const models = new Map();
let bytesLoaded = 0;
const counters = { predictCalls: 0, rowsPredicted: 0, loads: 0, evictions: 0 };

async function init(message) {
  budget = message.memoryBudgetBytes;
  tf = await import("@tensorflow/tfjs");
  // Production mode: no debug checks, and no hint about tfjs-node on the first cpu op.
  tf.enableProdMode();
  if (message.backend !== "cpu") {
    try {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      wasm.setWasmPaths(message.wasmDir.endsWith(sep) ? message.wasmDir : message.wasmDir + sep);
      if (await tf.setBackend("wasm")) backend = "wasm";
    } catch {
      backend = "cpu";
    }
    if (backend !== "wasm" && message.backend === "wasm") throw new Error("the wasm backend did not start");
  }
  if (backend === "cpu" && !(await tf.setBackend("cpu"))) throw new Error("the cpu backend did not start");
  await tf.ready();
  port.postMessage({ type: "ready", backend });
}

const BYTES = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function specBytes(spec) {
  const n = (spec.shape ?? []).reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const per = BYTES[dtype];
  if (!per) throw new Error(`weight ${spec.name} has dtype ${dtype}, which serving does not load`);
  return n * per;
}

class LoadError extends Error {}

async function load(key, { modelJson, weights }) {
  let json;
  try {
    json = JSON.parse(modelJson);
  } catch (e) {
    throw new LoadError(`model.json is not valid JSON (${e.message})`);
  }
  if (!json || typeof json !== "object" || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new LoadError("model.json is not a TensorFlow.js layers model (modelTopology and weightsManifest)");
  }
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights ?? []);
  let expected = 0;
  try {
    for (const spec of weightSpecs) expected += specBytes(spec);
  } catch (e) {
    throw new LoadError(e.message);
  }
  if (expected !== weights.byteLength) {
    throw new LoadError(`weights.bin has ${weights.byteLength} bytes; model.json's weights need ${expected}`);
  }
  const size = weights.byteLength + modelJson.length;
  if (size > budget) throw new LoadError(`The model needs ${size} bytes, more than a worker's memory budget (${budget})`);
  let model;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs,
        weightData: weights,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
      }),
    );
  } catch (e) {
    throw new LoadError(`TensorFlow.js could not load the model: ${e?.message ?? e}`);
  }
  const inShape = model.inputs.length === 1 ? model.inputs[0].shape : null;
  if (!inShape || inShape.length !== 2 || typeof inShape[1] !== "number" || model.outputs.length !== 1) {
    model.dispose();
    throw new LoadError("Serving takes models with one input of shape [batch, features] and one output");
  }
  // One zero row: compiles the kernels now and shows a model that cannot run at all at load time.
  try {
    tf.tidy(() => model.predict(tf.zeros([1, inShape[1]])).dataSync());
  } catch (e) {
    model.dispose();
    throw new LoadError(`The model loaded but cannot predict: ${e?.message ?? e}`);
  }
  const evicted = [];
  while (models.size && bytesLoaded + size > budget) {
    const [oldKey, old] = models.entries().next().value;
    models.delete(oldKey);
    old.model.dispose();
    bytesLoaded -= old.bytes;
    counters.evictions++;
    evicted.push(oldKey);
  }
  models.set(key, { model, bytes: size, inputWidth: inShape[1] });
  bytesLoaded += size;
  counters.loads++;
  return evicted;
}

async function predict(message) {
  const { id, key, rows, nRows } = message;
  let evicted = [];
  let entry = models.get(key);
  if (!entry) {
    if (!message.model) return port.postMessage({ type: "result", id, ok: false, code: "missing", message: "not loaded", evicted });
    try {
      evicted = await load(key, message.model);
    } catch (e) {
      const text = e instanceof LoadError ? e.message : `Loading failed: ${e?.message ?? e}`;
      return port.postMessage({ type: "result", id, ok: false, code: "load-failed", message: text, evicted });
    }
    entry = models.get(key);
  } else {
    models.delete(key); // most recently used goes last
    models.set(key, entry);
  }
  const width = entry.inputWidth;
  if (rows.length !== nRows * width) {
    return port.postMessage({ type: "result", id, ok: false, code: "bad-input", message: `Rows have ${rows.length / nRows} features; the model takes ${width}`, evicted });
  }
  let outputs;
  let outputWidth;
  try {
    counters.predictCalls++;
    counters.rowsPredicted += nRows;
    // The whole batch in one pass: predict's default batchSize (32) would cut a merged batch of 64
    // rows in two and concatenate the halves (≈ 2× the time of one pass here).
    const y = tf.tidy(() => entry.model.predict(tf.tensor2d(rows, [nRows, width]), { batchSize: nRows }));
    outputWidth = y.shape.length === 1 ? 1 : y.shape.slice(1).reduce((a, b) => a * b, 1);
    outputs = y.dataSync();
    y.dispose();
    if (!(outputs instanceof Float32Array)) outputs = Float32Array.from(outputs);
  } catch (e) {
    return port.postMessage({ type: "result", id, ok: false, code: "predict-failed", message: `The model failed while predicting: ${e?.message ?? e}`, evicted });
  }
  port.postMessage({ type: "result", id, ok: true, outputs, outputWidth, inputWidth: width, evicted }, [outputs.buffer]);
}

function stats(id) {
  const list = [...models].map(([key, m]) => ({ key, bytes: m.bytes }));
  port.postMessage({ type: "stats", id, stats: { backend, ...counters, models: list, bytes: bytesLoaded, memoryBudgetBytes: budget } });
}

// Messages are handled strictly one after another (a load awaits), so the LRU and the counters
// never interleave.
let chain = Promise.resolve();
port.on("message", (message) => {
  chain = chain.then(async () => {
    if (message.type === "init") {
      try {
        await init(message);
      } catch (e) {
        port.postMessage({ type: "init-failed", message: String(e?.message ?? e) });
      }
    } else if (message.type === "predict") await predict(message);
    else if (message.type === "stats") stats(message.id);
    else if (message.type === "unload") {
      const entry = models.get(message.key);
      if (entry) {
        models.delete(message.key);
        entry.model.dispose();
        bytesLoaded -= entry.bytes;
      }
    }
  });
});
