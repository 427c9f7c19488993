// A real tfjs layers model for the serving tests and bench: dense 30→16→1 sigmoid (the fraud
// MLP), seeded, saved to memory as track.logModel saves it (model.json text + weights.bin).
import * as tf from "@tensorflow/tfjs";
import type { ModelBytes } from "@/lib/serving/engine/model-spec";

export async function tinyModel(seed = 1, inputs = 30, hidden = 16): Promise<{ model: tf.LayersModel; bytes: ModelBytes }> {
  await tf.setBackend("cpu");
  tf.enableProdMode();
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [inputs], units: hidden, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: tf.initializers.randomNormal({ seed: seed + 1, stddev: 0.1 }) }),
      tf.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }),
    ],
  });
  let bytes: ModelBytes | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const weights = Array.isArray(data) ? await new Blob(data).arrayBuffer() : (data as ArrayBuffer);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
      };
      bytes = { modelJson: JSON.stringify(json), weights: weights.slice(0) };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return { model, bytes: bytes! };
}

/** Seeded rows of `width` values in [-2, 2). */
export function randomRows(n: number, width = 30, seed = 7): number[][] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2;
  return Array.from({ length: n }, () => Array.from({ length: width }, next));
}

export function predictInProcess(model: tf.LayersModel, rows: number[][]): number[][] {
  return tf.tidy(() => (model.predict(tf.tensor2d(rows)) as tf.Tensor).arraySync() as number[][]);
}
