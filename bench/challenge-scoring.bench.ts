// What a challenge submission of 10,000 predictions costs on the server's CPU (lib/challenges):
// scoring the public and private parts (PR-AUC, F1, and ROC-AUC/RMSE for reference), and the whole
// path from a CSV text or a JSON array (parse, align by id, check values, score both parts).
// Prints p50/p95/max over many runs after a warm-up. Target (issue 12): 10,000 predictions ≤ 20 ms.
// Run: npx tsx bench/challenge-scoring.bench.ts [--rows 10000] [--repeat 200]
import { loadavg } from "node:os";
import { alignPredictions, indexIds, parsePredictionsCsv } from "../lib/challenges/predictions";
import { checkPredictionValues, createScoringPlan, scoreParts } from "../lib/challenges/scoring";
import { publicMaskFor } from "../lib/challenges/split";
import { createRng } from "../lib/datasets/prng";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows = arg("rows", 10_000);
const repeat = arg("repeat", 200);
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const rng = createRng(12);
const ids = Array.from({ length: rows }, (_, i) => String(100_000 + i));
const labels = ids.map(() => (rng.bernoulli(0.03) ? 1 : 0));
const targets = ids.map(() => rng.normal(50, 10));
const scores = labels.map((y) => Math.min(1, Math.max(0, y * 0.3 + rng.normal(0.3, 0.2))));
const decisions = scores.map((s) => (s >= 0.5 ? 1 : 0));

function time(label: string, fn: () => void): void {
  for (let i = 0; i < 20; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    fn();
    t.push(performance.now() - start);
  }
  t.sort((a, b) => a - b);
  console.log(`${label.padEnd(52)} p50 ${pct(t, 50).toFixed(2).padStart(6)} ms  p95 ${pct(t, 95).toFixed(2).padStart(6)} ms  max ${t.at(-1)!.toFixed(2).padStart(6)} ms`);
}

console.log(`challenge scoring, ${rows.toLocaleString("en")} predictions, ${repeat} runs each (load ${load()})`);
for (const [metric, preds, truth, positive] of [
  ["average-precision", scores, labels, "1"],
  ["f1", decisions, labels, "1"],
  ["roc-auc", scores, labels, "1"],
  ["rmse", targets.map((v) => v + rng.normal(0, 5)), targets, null],
] as const) {
  const mask = publicMaskFor(truth, 0.3, "bench", metric !== "rmse");
  const plan = createScoringPlan(metric, { ids, labels: truth, publicMask: mask }, positive);
  const index = indexIds(ids);
  const aligned = Float64Array.from(preds);
  const csv = "id,prediction\n" + ids.map((id, i) => `${id},${preds[i]}`).reverse().join("\n") + "\n";
  const array = [...preds];
  time(`${metric}: score public + private`, () => scoreParts(plan, aligned));
  time(`${metric}: CSV text → checked → both scores`, () => {
    const p = parsePredictionsCsv(csv, { ids, index, idColumn: "id" });
    checkPredictionValues(plan, p);
    scoreParts(plan, p);
  });
  time(`${metric}: JSON array → checked → both scores`, () => {
    const p = alignPredictions(array, { ids, index, idColumn: "id" });
    checkPredictionValues(plan, p);
    scoreParts(plan, p);
  });
}
console.log(`target: ≤ 20 ms for 10,000 predictions (load ${load()})`);
