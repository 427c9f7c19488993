// The serving engine alone (lib/serving/engine, in this process, no HTTP): the fraud-like MLP
// (30 inputs, 16 hidden relu, 1 sigmoid output) served by TensorFlow.js worker threads.
//   1. 64 concurrent callers sending single rows, with dynamic batching on (64 rows / 2 ms) and
//      off (maxBatchSize 1) in the same run: predictions/s, p50/p99, on/off ratio;
//   2. 16 callers sending 100-row batches;
// for each backend asked (default: wasm, then cpu). This is a floor under the targets,
// which are measured later through `npm start`'s server: ≥ 10,000 predictions/s and p99 ≤ 20 ms
// with batching on 2 cores. Beside each figure: the process's CPU per 1,000 predictions (all
// threads) and the load average.
//
// Run: npx tsx bench/serving-engine.bench.ts [--duration 5] [--callers 64] [--size N] [--backends wasm,cpu]
//      [--max-batch 64] [--max-latency-ms 2]
import { availableParallelism, loadavg } from "node:os";
import { createServingEngine } from "../lib/serving/engine/engine";
import type { BackendChoice } from "../lib/serving/engine/protocol";
import { predictInProcess, randomRows, tinyModel } from "../tests/unit/serving/tiny-model";

const argOf = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const num = (name: string, fallback: number) => Number(argOf(name) ?? fallback);
const DURATION_S = num("duration", 5);
const CALLERS = num("callers", 64);
const SIZE = num("size", availableParallelism());
const MAX_BATCH = num("max-batch", 64);
const MAX_LATENCY_MS = num("max-latency-ms", 2);
const BACKENDS = (argOf("backends") ?? "wasm,cpu").split(",") as BackendChoice[];
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Figures {
  predictionsPerS: number;
  requestsPerS: number;
  p50: number;
  p99: number;
  cpuMsPer1k: number;
  batches: number;
}

async function main() {
  const { model, bytes } = await tinyModel(1);
  const pool = randomRows(4096, 30, 5);
  const batches100 = Array.from({ length: 40 }, (_, i) => pool.slice(i * 100, i * 100 + 100));
  console.log(`serving engine bench: ${SIZE} worker threads, ${DURATION_S} s per run, model 30→16→1 (${bytes.weights.byteLength} B of weights), node ${process.version}, ${availableParallelism()} cores (load ${load()})`);
  const summary: string[] = [];

  for (const backend of BACKENDS) {
    const engine = createServingEngine({ size: SIZE, backend });
    const ready = await engine.ready();
    engine.register("on", { load: () => bytes, batching: { maxBatchSize: MAX_BATCH, maxLatencyMs: MAX_LATENCY_MS } });
    engine.register("off", { load: () => bytes, batching: { maxBatchSize: 1 } });
    // Correctness first: the served outputs are the in-process ones.
    const sample = pool.slice(0, 256);
    const expected = predictInProcess(model, sample);
    for (const key of ["on", "off"]) {
      const got = await engine.predict(key, sample);
      const worst = Math.max(...got.outputs.map((o, i) => Math.abs(o[0] - expected[i][0])));
      if (!(worst < 1e-5)) throw new Error(`${key}: served outputs differ from model.predict by ${worst}`);
    }
    // Warm both models into every worker.
    await Promise.all(Array.from({ length: 4 * SIZE }, (_, i) => engine.predict(i % 2 ? "on" : "off", [pool[i]])));

    const run = async (key: string, callers: number, rowsFor: (i: number) => number[][]): Promise<Figures> => {
      const latencies: number[] = [];
      let predictions = 0;
      const calls0 = (await engine.workerStats()).reduce((s, w) => s + w.predictCalls, 0);
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      const end = started + DURATION_S * 1000;
      await Promise.all(
        Array.from({ length: callers }, async (_, c) => {
          let i = c;
          while (performance.now() < end) {
            const rows = rowsFor(i++);
            const t = performance.now();
            const r = await engine.predict(key, rows);
            latencies.push(performance.now() - t);
            predictions += r.outputs.length;
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const calls1 = (await engine.workerStats()).reduce((s, w) => s + w.predictCalls, 0);
      latencies.sort((a, b) => a - b);
      return {
        predictionsPerS: predictions / elapsed,
        requestsPerS: latencies.length / elapsed,
        p50: pct(latencies, 50),
        p99: pct(latencies, 99),
        cpuMsPer1k: ((cpu.user + cpu.system) / 1000 / predictions) * 1000,
        batches: calls1 - calls0,
      };
    };
    const show = (label: string, f: Figures) =>
      `  ${label}: ${Math.round(f.predictionsPerS).toLocaleString("en")} predictions/s (${Math.round(f.requestsPerS).toLocaleString("en")} requests/s), p50 ${f.p50.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms, ` +
      `${f.batches.toLocaleString("en")} predict calls, CPU ${f.cpuMsPer1k.toFixed(1)} ms per 1,000 predictions (load ${load()})`;

    console.log(`\nbackend ${backend} (workers run: ${ready.join(", ")})`);
    const on = await run("on", CALLERS, (i) => [pool[i % pool.length]]);
    console.log(show(`${CALLERS} callers, single rows, batching on (${MAX_BATCH} rows / ${MAX_LATENCY_MS} ms)`, on));
    const off = await run("off", CALLERS, (i) => [pool[i % pool.length]]);
    console.log(show(`${CALLERS} callers, single rows, batching off`, off));
    const ratio = on.predictionsPerS / off.predictionsPerS;
    console.log(`  batching on/off: ${ratio.toFixed(2)}× predictions/s, p99 ${on.p99.toFixed(2)} vs ${off.p99.toFixed(2)} ms`);
    const big = await run("on", 16, (i) => batches100[i % batches100.length]);
    console.log(show("16 callers, 100-row requests", big));
    const target = on.predictionsPerS >= 10_000 && on.p99 <= 20 ? "meets" : "misses";
    summary.push(
      `${backend}: single rows batched ${Math.round(on.predictionsPerS).toLocaleString("en")}/s p99 ${on.p99.toFixed(1)} ms (${target} ≥ 10,000/s & p99 ≤ 20 ms), ` +
        `unbatched ${Math.round(off.predictionsPerS).toLocaleString("en")}/s p99 ${off.p99.toFixed(1)} ms, on/off ${ratio.toFixed(2)}×, ` +
        `100-row requests ${Math.round(big.predictionsPerS).toLocaleString("en")} predictions/s p99 ${big.p99.toFixed(1)} ms`,
    );
    await engine.close();
  }
  console.log(`\nsummary (${SIZE} workers, ${availableParallelism()} cores):\n  ${summary.join("\n  ")}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
