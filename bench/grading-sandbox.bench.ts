// Grading through the sandbox pool (lib/grading/sandbox): 16 concurrent submitters grading a
// function exercise (a student's `recall` on 20 hidden cases) through the pool's child processes,
// p50/p95/p99 latency and submissions/s; then scoring 10,000 predictions with ml.metrics on the
// host. Targets (issue 12): p95 ≤ 50 ms, ≥ 50 submissions/s on 2 cores, 10,000 predictions ≤ 20 ms.
//
// This is the pool alone, in this process: the floor under what a student's Submit costs. The
// issue asks for the figure through the server `npm start` runs; the session that adds the grading
// route measures there (HTTP, auth and the database on top of this).
//
// Run: npx tsx bench/grading-sandbox.bench.ts [--duration 10] [--submitters 16] [--size N]
import { availableParallelism, loadavg } from "node:os";
import { createSandboxPool } from "../lib/grading/sandbox/pool";
import { gradeFunctionExercise, type HiddenCase } from "../lib/grading/exercises";
import * as metrics from "../lib/ml/metrics";
import { createRng } from "../lib/ml/random";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION_S = arg("duration", 10);
const SUBMITTERS = arg("submitters", 16);
const SIZE = arg("size", availableParallelism());
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const STUDENT = `function recall(yTrue, yPred) {
  let tp = 0, fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 1) { if (yPred[i] === 1) tp++; else fn++; }
  }
  return tp + fn === 0 ? 0 : tp / (tp + fn);
}`;

function hiddenCases(): HiddenCase[] {
  const rng = createRng(12);
  return Array.from({ length: 20 }, (_, c) => {
    const n = 50;
    const yTrue = Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
    const yPred = Array.from({ length: n }, () => (rng.next() < 0.35 ? 1 : 0));
    return { name: `case ${c + 1}`, args: [yTrue, yPred], expected: metrics.recall(yTrue, yPred, { zeroDivision: 0 }) };
  });
}

async function gradingThroughPool() {
  const pool = createSandboxPool({ size: SIZE });
  const t0 = performance.now();
  await pool.warm();
  console.log(`pool: ${SIZE} child processes ready in ${(performance.now() - t0).toFixed(0)} ms (load ${load()})`);
  const exercise = { functionName: "recall", cases: hiddenCases() };

  const check = await gradeFunctionExercise(pool, STUDENT, exercise);
  if (check.grade.passed !== 20) throw new Error(`the bench's student should pass 20/20, got ${JSON.stringify(check.grade)}`);

  const latencies: number[] = [];
  const childCpu: number[] = [];
  const loadBefore = load();
  const end = performance.now() + DURATION_S * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SUBMITTERS }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const r = await gradeFunctionExercise(pool, STUDENT, exercise);
        latencies.push(performance.now() - t);
        childCpu.push(r.detail.cpuMs);
        if (r.grade.passed !== 20) throw new Error(`graded ${r.grade.passed}/20: ${r.grade.message}`);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  childCpu.sort((a, b) => a - b);
  console.log(
    `function exercise (recall, 20 hidden cases), ${SUBMITTERS} concurrent submitters, ${DURATION_S} s: ` +
      `${latencies.length} graded, ${(latencies.length / elapsed).toFixed(1)} submissions/s, ` +
      `p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms ` +
      `(child CPU per submission p50 ${pct(childCpu, 50)} ms) (load ${loadBefore} → ${load()})`,
  );

  // One submitter at a time: the latency a student sees when nobody else is grading.
  const alone: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await gradeFunctionExercise(pool, STUDENT, exercise);
    alone.push(performance.now() - t);
  }
  alone.sort((a, b) => a - b);
  console.log(`one submitter at a time (50): p50 ${pct(alone, 50).toFixed(1)} ms, p95 ${pct(alone, 95).toFixed(1)} ms (load ${load()})`);
  await pool.close();
}

function scoringOnHost() {
  const rng = createRng(7);
  const n = 10_000;
  const yTrue = Array.from({ length: n }, () => (rng.next() < 0.1 ? 1 : 0));
  const scores = yTrue.map((y) => Math.min(1, Math.max(0, 0.3 * y + 0.7 * rng.next())));
  const yPred = scores.map((s) => (s >= 0.5 ? 1 : 0));
  const yReg = scores.map((s) => s * 10);
  const scorers: [string, () => number][] = [
    ["f1", () => metrics.f1(yTrue, yPred)],
    ["recall", () => metrics.recall(yTrue, yPred)],
    ["averagePrecision (PR-AUC)", () => metrics.averagePrecision(yTrue, scores)],
    ["rocAuc", () => metrics.rocAuc(yTrue, scores)],
    ["rmse", () => metrics.rmse(yReg, yTrue)],
  ];
  for (const [name, score] of scorers) {
    for (let i = 0; i < 5; i++) score(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      score();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`scoring 10,000 predictions on the host, ${name}: p50 ${pct(times, 50).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms (load ${load()})`);
  }
}

console.log(`grading-sandbox bench — ${availableParallelism()} cores, node ${process.version}, load ${load()}`);
await gradingThroughPool();
scoringOnHost();
