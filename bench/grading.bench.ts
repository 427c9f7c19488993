// Grading as students get it: a Submit goes through the server `npm start` runs (scripts/start.mjs →
// scripts/server.mjs, the production build), over loopback, signed in with a session cookie, to
// the tRPC procedure `grading.submit`, which runs the student's code in the sandbox pool (child
// processes, lib/grading/sandbox) and stores the attempt in the database (SQLite, a temp file).
//   - 16 students submitting at once, each the next submission as soon as the previous answer
//     came: submissions/s, p50/p95/p99 of the answer time, the server process's CPU per submission
//     (its sandbox children not counted: they are separate processes) and the load average;
//   - the same 16 students at a fixed total rate (open loop: 50 and 100 submissions/s, each sent at its
//     scheduled time whether or not earlier ones were answered, latency counted from that time):
//     p50/p95/p99 — a class submitting at the target rate, rather than the saturation above;
//   - one student at a time as a reference;
//   - a model challenge with 10,000 hidden rows (an instructor uploads a 20,000-row CSV, half of it
//     hidden): one student submits 10,000 predictions through `challenges.submit`, 30 times;
//     p50/p95 of the answer time (parsing, validation, scoring both parts, storing);
//   - scoring 10,000 predictions on the host with ml.metrics: p50/max over 50 runs.
// The exercise is the first function exercise of the course (content/lessons, first lesson in
// order that has one), graded on its hidden cases; the submitted code is its reference solution.
// Run: npx tsx bench/grading.bench.ts [--port 3240] [--duration 10] [--submitters 16] [--url URL]
//      (--url: an already running server, started with SIGNIN_RATE_LIMIT high enough for the sign-ups)
// Prints figures only. Targets (issue 12): p95 ≤ 50 ms, ≥ 50 submissions/s on 2 cores, 10,000
// predictions scored ≤ 20 ms.
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
// @ts-ignore plain ESM helper shared with the browser benchmarks
import { startServer } from "./lib/server.mjs";
import { gradedExercises } from "@/lib/content/graded-exercises";
import * as metrics from "@/lib/ml/metrics";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PORT = arg("port", 3240);
const DURATION = arg("duration", 10);
const SUBMITTERS = arg("submitters", 16);
const URL_ARG = process.argv.includes("--url") ? process.argv[process.argv.indexOf("--url") + 1]! : null;

const load = () => `load ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** The first function exercise of the course (lessons in order). */
function firstFunctionExercise() {
  const found = gradedExercises("es").find((e) => e.spec.kind === "function");
  if (!found || found.spec.kind !== "function") throw new Error("no lesson has a function exercise with --- tests");
  return { slug: found.lesson.slug, exerciseId: found.cell.id, solution: found.cell.solution, cases: found.spec.cases.length };
}

async function signUp(base: string, i: number, role: "student" | "instructor" = "student"): Promise<string> {
  const email = `bench-${process.pid}-${role}-${i}@example.test`;
  const r = await fetch(`${base}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email, password: "bench-password-123", name: `Bench ${i}`, role }),
  });
  if (!r.ok) throw new Error(`sign-up ${i}: ${r.status} ${await r.text()}`);
  const cookies = r.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  if (!cookies) throw new Error("sign-up set no cookie");
  return cookies;
}

interface SubmitAnswer {
  attempt: number;
  status: string;
  score: number;
}

/** A tRPC mutation over HTTP, as the browser sends it (superjson envelope, same-origin, cookie). */
async function mutation<T>(base: string, cookie: string, path: string, input: unknown): Promise<T> {
  const r = await fetch(`${base}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, cookie },
    body: JSON.stringify({ json: input }),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { result: { data: { json: T } } }).result.data.json;
}

const submit = (base: string, cookie: string, input: Record<string, unknown>) => mutation<SubmitAnswer>(base, cookie, "grading.submit", input);

/** A challenge with 10,000 hidden rows in the class; then 30 submissions of 10,000 predictions by one student. */
async function challengeSubmissions(base: string, teacher: string, cls: { id: string }, student: string) {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lines = ["id,x1,x2,label"];
  for (let i = 0; i < 20_000; i++) {
    const label = rand() < 0.1 ? 1 : 0;
    lines.push(`r${i},${(rand() + label * 0.5).toFixed(4)},${rand().toFixed(4)},${label}`);
  }
  const challenge = await mutation<{ id: string; rowCount?: number }>(base, teacher, "challenges.createFromCsv", {
    classId: cls.id,
    title: "Bench challenge",
    csv: lines.join("\n"),
    targetColumn: "label",
    idColumn: "id",
    metric: "average-precision",
    positiveLabel: "1",
    dailyLimit: 100,
    testFraction: 0.5,
  });
  const features = await fetch(`${base}/api/challenges/${challenge.id}/features.csv`, { headers: { cookie: student } }).then((r) => r.text());
  const rows = features.trim().split("\n").slice(1).map((l) => l.split(","));
  const predictions = rows.map(([, x1]) => Number(x1));
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await mutation<{ publicScore: number }>(base, student, "challenges.submit", { challengeId: challenge.id, predictions });
    times.push(performance.now() - t0);
  }
  const body = JSON.stringify({ json: { challengeId: challenge.id, predictions } }).length;
  console.log(
    `challenge submission of ${predictions.length.toLocaleString("en")} predictions (${(body / 1024).toFixed(0)} KB JSON) x ${times.length}, whole request: p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms (${load()})`,
  );
}

const exercise = firstFunctionExercise();
console.log(`exercise: ${exercise.slug}/${exercise.exerciseId} (function, ${exercise.cases} hidden cases), code: its reference solution`);
const server = await startServer({ url: URL_ARG, port: PORT, log: (l: string) => console.log(`  [server] ${l}`) });
try {
  const base = server.url;
  // The students are in a class, as in the course (the submission files under it, with its deadline).
  const teacher = await signUp(base, 0, "instructor");
  const cls = await mutation<{ id: string; joinCode: string }>(base, teacher, "classes.create", { name: "Bench class" });
  const cookies: string[] = [];
  for (let i = 0; i < SUBMITTERS; i++) {
    cookies.push(await signUp(base, i));
    await mutation(base, cookies[i]!, "classes.join", { code: cls.joinCode });
  }
  const input = { lessonSlug: exercise.slug, locale: "es", exerciseId: exercise.exerciseId, code: exercise.solution };

  // Warm-up: the first submission prepares the reference (runs the solution once) and warms the children.
  const first = await submit(base, cookies[0]!, input);
  if (first.status !== "graded" || first.score !== 1) throw new Error(`the reference solution did not grade 1: ${JSON.stringify(first)}`);
  for (let i = 0; i < 20; i++) await submit(base, cookies[i % cookies.length]!, input);

  // One student at a time.
  const single: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await submit(base, cookies[0]!, input);
    single.push(performance.now() - t0);
  }
  console.log(`1 submitter x ${single.length}: p50 ${pct(single, 50).toFixed(1)} ms, p95 ${pct(single, 95).toFixed(1)} ms, p99 ${pct(single, 99).toFixed(1)} ms (${load()})`);

  // 16 students at once, for DURATION seconds.
  const times: number[] = [];
  let wrong = 0;
  const c0 = cpuMs(server.pid);
  const t0 = performance.now();
  const until = t0 + DURATION * 1000;
  await Promise.all(
    cookies.map(async (cookie) => {
      while (performance.now() < until) {
        const s = performance.now();
        const answer = await submit(base, cookie, input);
        times.push(performance.now() - s);
        if (answer.status !== "graded" || answer.score !== 1) wrong++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const c1 = cpuMs(server.pid);
  const cpu = c0 !== null && c1 !== null ? `, server process CPU ${((c1 - c0) / times.length).toFixed(2)} ms/submission` : "";
  console.log(
    `${SUBMITTERS} submitters, ${DURATION} s: ${times.length} submissions, ${(times.length / seconds).toFixed(0)} submissions/s, p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms, ${wrong} not graded 1${cpu} (${load()})`,
  );
  for (const rate of [50, 100]) {
    const lat: number[] = [];
    let notOne = 0;
    const start = performance.now() + 50;
    const count = rate * DURATION;
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const at = start + (i * 1000) / rate;
        await new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
        const answer = await submit(base, cookies[i % cookies.length]!, input);
        lat.push(performance.now() - at);
        if (answer.status !== "graded" || answer.score !== 1) notOne++;
      }),
    );
    console.log(
      `open loop at ${rate} submissions/s over ${SUBMITTERS} students, ${DURATION} s: ${lat.length} submissions, p50 ${pct(lat, 50).toFixed(1)} ms, p95 ${pct(lat, 95).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms, ${notOne} not graded 1 (${load()})`,
    );
  }
  await challengeSubmissions(base, teacher, cls, cookies[0]!);
} finally {
  await server.stop();
}

// Scoring 10,000 predictions on the host (what a challenge submission costs beside parsing).
const n = 10_000;
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const yTrue = Array.from({ length: n }, () => (rand() < 0.05 ? 1 : 0));
const scores = yTrue.map((y) => Math.min(1, Math.max(0, 0.3 * y + rand() * 0.8)));
const labels = scores.map((s) => (s >= 0.5 ? 1 : 0));
const scorers: [string, () => number][] = [
  ["PR-AUC (average precision)", () => metrics.averagePrecision(yTrue, scores)],
  ["ROC-AUC", () => metrics.rocAuc(yTrue, scores)],
  ["F1", () => metrics.f1(yTrue, labels)],
];
for (const [name, score] of scorers) {
  const t: number[] = [];
  for (let i = 0; i < 50; i++) {
    const s = performance.now();
    score();
    t.push(performance.now() - s);
  }
  console.log(`score 10,000 predictions, ${name}: p50 ${pct(t, 50).toFixed(2)} ms, max ${Math.max(...t).toFixed(2)} ms`);
}
