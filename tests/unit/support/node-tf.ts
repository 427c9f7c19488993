// TensorFlow.js for tests that run lessons in Node with the kernel's core (KernelRuntime): the
// wasm backend, the one every student has and about 3× faster than the pure-JS cpu one on the
// lessons' training cells. NODE_TF_BACKEND=cpu picks the cpu backend instead.
import { createRequire } from "node:module";
import { dirname, sep } from "node:path";
import type { TfLike } from "@/lib/kernel/runtime";

const require_ = createRequire(import.meta.url);

export type NodeTfBackend = "wasm" | "cpu";
export const NODE_TF_BACKEND: NodeTfBackend = process.env.NODE_TF_BACKEND === "cpu" ? "cpu" : "wasm";

/** tfjs with `backend` started: the kernel's `loadTf` in Node. */
export async function loadNodeTf(backend: NodeTfBackend = NODE_TF_BACKEND): Promise<TfLike> {
  const tf = await import("@tensorflow/tfjs");
  if (backend === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    // The package's own .wasm files, from disk (the browser gets the same files from /vendor/tfjs).
    wasm.setWasmPaths(dirname(require_.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`);
  await tf.ready();
  return tf as unknown as TfLike;
}
