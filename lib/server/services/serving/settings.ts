// Per-endpoint serving settings, kept as tags of the registered model so the owner changes them
// with the registry API they already use (registered-models/set-tag, delete-tag):
//   serving.max_batch_size  rows merged into one model.predict (1 = batching off; 1..10000; default 64)
//   serving.max_latency_ms  how long the oldest waiting request waits for others (0..100; default 2)
// A value that is not an integer in range is ignored (the default applies).
import type { BatchSettings } from "@/lib/serving/engine/batcher";

export const SERVING_TAGS = { maxBatchSize: "serving.max_batch_size", maxLatencyMs: "serving.max_latency_ms" } as const;

const BOUNDS = { maxBatchSize: [1, 10_000], maxLatencyMs: [0, 100] } as const;

function intIn(text: string | undefined, [lo, hi]: readonly [number, number]): number | undefined {
  if (text === undefined || !/^\s*\d{1,6}\s*$/.test(text)) return undefined;
  const n = Number(text);
  return n >= lo && n <= hi ? n : undefined;
}

/** The batching a model's tags ask for; only the settings they name (the engine's defaults fill the rest). */
export function batchingFromTags(tags: readonly { key: string; value: string }[]): Partial<BatchSettings> {
  const get = (k: string) => tags.find((t) => t.key === k)?.value;
  const out: Partial<BatchSettings> = {};
  const size = intIn(get(SERVING_TAGS.maxBatchSize), BOUNDS.maxBatchSize);
  const latency = intIn(get(SERVING_TAGS.maxLatencyMs), BOUNDS.maxLatencyMs);
  if (size !== undefined) out.maxBatchSize = size;
  if (latency !== undefined) out.maxLatencyMs = latency;
  return out;
}
