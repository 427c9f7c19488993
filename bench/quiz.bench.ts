// Live quiz (issue 14 point 10) as players get it: through the server `npm start` runs
// (scripts/start.mjs → scripts/server.mjs, the lean layer's /live/ws WebSocket route), loopback.
// An instructor signs up, creates a game through tRPC (`live.create`) and hosts it over a
// WebSocket with the session cookie; 2,000 bot players (bench/lib/quiz-bots.mjs, real WebSocket
// clients speaking lib/live/protocol.ts, in worker threads) join with the PIN and answer each
// question after a random think time; 5 % of them drop their connection during each question
// and rejoin with their token. Printed:
//   - broadcast: from the host sending "start"/"next" to each player having the question, p50/p95/p99;
//   - answer ack: from a player sending its answer to its ack (sent once the answer is stored), p50/p95/p99;
//   - reconnects: how many, how many came back with the score they had (all must);
//   - answers lost: acknowledged answers missing from the game's results (live.results), must be 0.
// The server trusts X-Forwarded-For from loopback here (TRUSTED_PROXIES=127.0.0.1/32), so each
// bot has its own client address: joins are rate-limited per address, and 2,000 players from one
// address would be a join flood.
// Run: npx tsx bench/quiz.bench.ts [--port 3141] [--players 2000] [--questions 5] [--reconnect 0.05]
//      [--think 2000] [--workers 2] [--url URL (a server started with TRUSTED_PROXIES=127.0.0.1/32) [--server-pid PID]]
// Targets (2 cores): broadcast p95 ≤ 100 ms, ack p95 ≤ 50 ms, 0 answers lost, every reconnecting player keeps its score.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import WebSocket from "ws";
// @ts-ignore plain ESM helper shared with the other benchmarks
import { startServer } from "./lib/server.mjs";

const argOf = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const PORT = Number(argOf("port") ?? 3141);
const PLAYERS = Number(argOf("players") ?? 2000);
const QUESTIONS = Number(argOf("questions") ?? 5);
const RECONNECT = Number(argOf("reconnect") ?? 0.05);
const THINK = Number(argOf("think") ?? 2000);
const WORKERS = Number(argOf("workers") ?? 2);
const load = () => `load ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores`;
const now = () => performance.timeOrigin + performance.now();
/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere. */
function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return null;
  }
}

function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const fmt = (values: number[]) => `p50 ${pct(values, 50).toFixed(1)} ms, p95 ${pct(values, 95).toFixed(1)} ms, p99 ${pct(values, 99).toFixed(1)} ms, max ${pct(values, 100).toFixed(1)} ms (n = ${values.length})`;

async function signUpInstructor(base: string): Promise<string> {
  const email = `bench-quiz-${process.pid}-${Date.now()}@example.test`;
  const r = await fetch(`${base}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email, password: "bench-password-123", name: "Bench host", role: "instructor" }),
  });
  if (!r.ok) throw new Error(`sign-up: ${r.status} ${await r.text()}`);
  return r.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

async function trpc<T>(base: string, cookie: string, path: string, input: unknown, kind: "query" | "mutation"): Promise<T> {
  const headers = { "content-type": "application/json", origin: base, cookie };
  const r =
    kind === "mutation"
      ? await fetch(`${base}/api/trpc/${path}`, { method: "POST", headers, body: JSON.stringify({ json: input }) })
      : await fetch(`${base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers });
  const text = await r.text();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { result: { data: { json: T } } }).result.data.json;
}

interface BotStats {
  joined: number;
  received: Record<string, number[]>;
  ackMs: number[];
  acks: number;
  answerErrors: Record<string, number>;
  reconnects: number;
  reconnectKeptScore: number;
  reconnectLostScore: unknown[];
  reconnectErrors: string[];
  lastScores: Record<string, number>;
}

async function main() {
  const server = await startServer({
    url: argOf("url") ?? null,
    port: PORT,
    env: { TRUSTED_PROXIES: "127.0.0.1/32" },
    log: (l: string) => console.log(`  [server] ${l}`),
  });
  const base: string = server.url;
  const serverPid: number | undefined = server.pid ?? (argOf("server-pid") ? Number(argOf("server-pid")) : undefined);
  const wsUrl = `ws://127.0.0.1:${new URL(base).port}/live/ws`;
  const workers: Worker[] = [];
  try {
    const cookie = await signUpInstructor(base);
    const questions = Array.from({ length: QUESTIONS }, (_, k) =>
      k % 2 ? { type: "truefalse", prompt: `Question ${k + 1}: true?`, correct: true, timeLimitSec: 30 } : { type: "single", prompt: `Question ${k + 1}`, options: ["A", "B", "C", "D"], correct: k % 4, timeLimitSec: 30 },
    );
    const { gameId, pin } = await trpc<{ gameId: string; pin: string }>(base, cookie, "live.create", { title: "Bench", questions, settings: { introMs: 0, maxPlayers: 5000 } }, "mutation");

    // The host screen.
    const host = new WebSocket(wsUrl, { headers: { cookie, origin: base } });
    const hostQueue: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    let hostWaiter: (() => void) | null = null;
    host.on("message", (d) => {
      hostQueue.push(JSON.parse(String(d)));
      hostWaiter?.();
    });
    await once(host, "open");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const hostNext = async (pred: (m: any) => boolean, timeoutMs = 60_000): Promise<any> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = hostQueue.findIndex(pred);
        if (i >= 0) return hostQueue.splice(i, 1)[0];
        if (Date.now() > deadline) throw new Error(`host: no expected message within ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          hostWaiter = r;
          setTimeout(r, 100);
        });
      }
    };
    host.send(JSON.stringify({ t: "host", gameId }));
    await hostNext((m) => m.t === "welcome");

    // The players, in worker threads.
    const per = Math.ceil(PLAYERS / WORKERS);
    const t0 = now();
    for (let w = 0; w < WORKERS; w++) {
      const count = Math.min(per, PLAYERS - w * per);
      workers.push(new Worker(new URL("./lib/quiz-bots.mjs", import.meta.url), { workerData: { url: wsUrl, pin, first: w * per, count, thinkMs: THINK, reconnectShare: RECONNECT, seed: 1234 + w } }));
    }
    const ask = <T>(w: Worker, cmd: string, kind: string) =>
      new Promise<T>((resolve) => {
        const on = (m: { kind: string }) => {
          if (m.kind !== kind) return;
          w.off("message", on);
          resolve(m as T);
        };
        w.on("message", on);
        w.postMessage({ cmd });
      });
    const joined = await Promise.all(workers.map((w) => ask<{ joined: number; errors: string[] }>(w, "join", "joined")));
    const joinedCount = joined.reduce((s, j) => s + j.joined, 0);
    console.log(`quiz bench through npm start's server (${base}): ${joinedCount} of ${PLAYERS} players joined in ${((now() - t0) / 1000).toFixed(1)} s${joined.some((j) => j.errors.length) ? ` (errors: ${joined.flatMap((j) => j.errors).join(", ")})` : ""}; ${QUESTIONS} questions, ${(RECONNECT * 100).toFixed(0)} % reconnecting during each, think time up to ${THINK} ms (${load()})`);

    // The game: for each question the host's "start"/"next" time, then the reveal (all answered or deadline).
    const asked: number[] = [];
    const cpuBefore = cpuMs(serverPid);
    for (let q = 0; q < QUESTIONS; q++) {
      if (q > 0) {
        host.send(JSON.stringify({ t: "next" }));
        await hostNext((m) => m.t === "state" && m.game.phase === "leaderboard");
      }
      asked[q] = now();
      host.send(JSON.stringify({ t: q === 0 ? "start" : "next" }));
      await hostNext((m) => m.t === "state" && m.game.phase === "answering" && m.game.q === q);
      const reveal = await hostNext((m) => m.t === "state" && m.game.phase === "reveal" && m.game.q === q);
      console.log(`  question ${q + 1}: revealed after ${((now() - asked[q]) / 1000).toFixed(2)} s, ${reveal.game.answered} answers of ${reveal.game.players} players (${load()})`);
    }
    const cpuGame = cpuBefore === null ? null : cpuMs(serverPid)! - cpuBefore;
    host.send(JSON.stringify({ t: "next" }));
    await hostNext((m) => m.t === "state" && m.game.phase === "leaderboard");
    host.send(JSON.stringify({ t: "next" }));
    await hostNext((m) => m.t === "state" && m.game.phase === "podium");
    await new Promise((r) => setTimeout(r, 500)); // the last "you" messages

    const reports = await Promise.all(workers.map((w) => ask<{ stats: BotStats }>(w, "report", "report")));
    const stats = reports.map((r) => r.stats);
    const broadcast: number[] = [];
    const perQuestion: string[] = [];
    for (let q = 0; q < QUESTIONS; q++) {
      const times = stats.flatMap((s) => s.received[q] ?? []).map((t) => t - asked[q]);
      broadcast.push(...times);
      perQuestion.push(`q${q + 1} ${pct(times, 95).toFixed(0)}/${pct(times, 100).toFixed(0)} ms (${times.length})`);
    }
    const acks = stats.reduce((s, x) => s + x.acks, 0);
    const ackMs = stats.flatMap((s) => s.ackMs);
    const reconnects = stats.reduce((s, x) => s + x.reconnects, 0);
    const kept = stats.reduce((s, x) => s + x.reconnectKeptScore, 0);
    const lost = stats.flatMap((s) => s.reconnectLostScore);
    const reconnectErrors = stats.flatMap((s) => s.reconnectErrors);
    const errors: Record<string, number> = {};
    for (const s of stats) for (const [k, v] of Object.entries(s.answerErrors)) errors[k] = (errors[k] ?? 0) + v;

    // Every acknowledged answer must be in the game's results, and every score must match.
    const results = await trpc<{ players: { nickname: string; score: number; answers: unknown[] }[] }>(base, cookie, "live.results", { gameId }, "query");
    const stored = results.players.reduce((s, p) => s + p.answers.length, 0);
    const lastScores = Object.assign({}, ...stats.map((s) => s.lastScores)) as Record<string, number>;
    const scoreMismatch = results.players.filter((p) => lastScores[p.nickname] !== undefined && lastScores[p.nickname] !== p.score).length;

    console.log(`broadcast ("next" → question on every player): ${fmt(broadcast)}; per question p95/max: ${perQuestion.join(", ")}`);
    console.log(`answer ack (send → ack, after the answer is stored): ${fmt(ackMs)}`);
    if (cpuGame !== null) console.log(`server CPU during the ${QUESTIONS} questions (broadcasts, answers, reconnects, reveals): ${(cpuGame / 1000).toFixed(2)} s, ${(cpuGame / Math.max(1, acks)).toFixed(3)} ms per answer on average (a figure the machine's load does not inflate the way it does latencies)`);
    console.log(`answers: ${acks} acknowledged, ${stored} stored, ${Math.max(0, acks - stored)} lost; refusals: ${JSON.stringify(errors)}`);
    console.log(`reconnects during questions: ${reconnects}, ${kept} came back with their score, ${lost.length} did not${lost.length ? ` ${JSON.stringify(lost.slice(0, 3))}` : ""}, ${reconnectErrors.length} failed${reconnectErrors.length ? ` (${reconnectErrors.slice(0, 5).join(", ")})` : ""}; final scores differing from the players' own view: ${scoreMismatch}`);
    const ok = (b: boolean) => (b ? "meets" : "misses");
    console.log(
      `targets: broadcast p95 ≤ 100 ms ${ok(pct(broadcast, 95) <= 100)}, ack p95 ≤ 50 ms ${ok(pct(ackMs, 95) <= 50)}, 0 answers lost ${ok(acks - stored <= 0)}, reconnecting players keep their score ${ok(lost.length === 0 && reconnectErrors.length === 0 && kept === reconnects)} (${load()})`,
    );
    host.close();
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
