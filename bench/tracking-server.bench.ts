// Tracking REST as users get it: through the server `npm start` runs (scripts/start.mjs →
// scripts/server.mjs: the production build, the lean layer in front of Next), over loopback,
// with a personal access token, the load generator (autocannon, 16 connections) on the same
// machine. On SQLite (a temp file) and PostgreSQL (a fresh database on BENCH_DATABASE_URL or
// TEST_DATABASE_URL):
//   - runs/log-metric, c=16 for 10 s after a warm-up: req/s, p50, p99;
//   - runs/log-batch of 1,000 metrics, one at a time: p50, p99 over 30 (after 3 warm-up);
//   - references, c=16 for 5 s: the tracking route answering 401 (no token: the lean layer
//     without the database) and a bare node:http server answering `{}` in its own process (what
//     the machine allows at this moment: on a shared machine it moves with the load);
//   - before/after: the same 401 route and log-metric through plain `next start` (what `npm start`
//     ran before the lean layer) on the same build and database (skip with --no-next-baseline).
// Beside each figure: the server process's CPU time per request (/proc; PostgreSQL's own
// processes not counted) and the load average, since autocannon and the server share the cores.
// Run: npx tsx bench/tracking-server.bench.ts [--port 3230] [--duration 10] [--no-next-baseline]
//      (CUADERNO_DIST_DIR picks the build folder; default .next-e2e-<port>, built when stale.)
// Prints figures only. Targets: log-metric ≥ 5,000 req/s with p99 ≤ 20 ms on SQLite, ≥ 3,000 on
// PostgreSQL; a 1,000-metric batch p50 ≤ 20 ms on both.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
// @ts-expect-error autocannon ships no type declarations
import autocannon from "autocannon";
// @ts-ignore plain ESM helper shared with the browser benchmarks
import { root, startServer } from "./lib/server.mjs";
import { createDb } from "@/lib/server/db";
import { createToken } from "@/lib/server/services/tokens";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PORT = arg("port", 3230);
const DURATION = arg("duration", 10);
const NEXT_BASELINE = !process.argv.includes("--no-next-baseline");

/** A bare node:http server answering `{}`, in its own process: the machine's ceiling right now. */
async function startBareServer(port: number): Promise<{ url: string; pid: number; stop(): void }> {
  const code = `require("http").createServer((q, s) => { q.resume(); q.on("end", () => { s.writeHead(200, { "content-type": "application/json", "content-length": "2" }); s.end("{}"); }); }).listen(${port}, () => process.send("ready"));`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  await new Promise((r) => child.once("message", r));
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid!, stop: () => void child.kill() };
}

/** Plain `next start` on the build and database `startServer` prepared (the server before the lean layer). */
async function startNextStart(port: number, databaseUrl: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)], {
    cwd: root,
    detached: true,
    stdio: "ignore",
    env: { ...process.env, DATABASE_URL: databaseUrl, CUADERNO_URL: url, BETTER_AUTH_SECRET: randomBytes(32).toString("hex"), NEXT_TELEMETRY_DISABLED: "1", CUADERNO_DIST_DIR: process.env.CUADERNO_DIST_DIR ?? `.next-e2e-${PORT}` },
  });
  const stop = async () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // gone
    }
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  };
  for (let i = 0; i < 120; i++) {
    if (await fetch(`${url}/api/auth/ok`).then((r) => r.ok, () => false)) return { url, pid: child.pid!, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error("next start did not answer within 60 s");
}

const load = () => `load ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** CPU time (user + system) of a process so far, in ms; null where /proc is missing. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return null;
  }
}

async function benchProvider(label: string, databaseUrl: string, port: number): Promise<void> {
  const server = await startServer({ port, env: { DATABASE_URL: databaseUrl }, log: (l: string) => console.log(`  [${label} server] ${l}`) });
  const cpu = (pid: number | undefined, c0: number | null, n: number) => {
    const c1 = cpuMs(pid);
    return c0 === null || c1 === null ? "" : `, server CPU ${((c1 - c0) / n).toFixed(3)} ms/request`;
  };
  try {
    // A user and a token, written straight to the database the server uses.
    const db = createDb(databaseUrl);
    const id = `bench_${Date.now()}`;
    const user = await db.user.create({ data: { id, name: "Bench", email: `${id}@example.test` }, select: { id: true, name: true, email: true } });
    const { token } = await createToken({ db, user: { ...user, role: "student" } }, { name: "bench" });
    await db.$disconnect();

    const base = `${server.url}/api/2.0/mlflow/`;
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const post = async (path: string, body: unknown, extra: Record<string, string> = {}) => {
      const r = await fetch(base + path, { method: "POST", headers: { ...headers, ...extra }, body: JSON.stringify(body) });
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<Record<string, any>>;
    };
    const { run } = await post("runs/create", { run_name: "bench" });
    const run_id: string = run.info.run_id;

    const times: number[] = [];
    let c0 = cpuMs(server.pid);
    for (let b = 0; b < 33; b++) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: `m${i % 10}`, value: Math.random(), timestamp: Date.now(), step: b * 100 + Math.floor(i / 10) }));
      if (b === 3) c0 = cpuMs(server.pid);
      const t0 = performance.now();
      await post("runs/log-batch", { run_id, metrics }, { "x-cuaderno-batch-id": `bench-${label}-${b}` });
      if (b >= 3) times.push(performance.now() - t0);
    }
    console.log(`[${label}] log-batch 1,000 metrics x ${times.length}: p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms${cpu(server.pid, c0, times.length)} (${load()})`);

    const cannon = (opts: Record<string, unknown>) => autocannon({ connections: 16, ...opts });
    const line = (name: string, r: any, c: number | null, pid = server.pid) =>
      `[${label}] ${name}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r["2xx"]} 2xx, ${r.non2xx} non-2xx, ${r.errors} errors${cpu(pid, c, r.requests.total)} (${load()})`;

    c0 = cpuMs(server.pid);
    const unauth = await cannon({ url: base + "runs/log-metric", method: "POST", headers: { "content-type": "application/json" }, body: "{}", duration: 5 });
    console.log(line("401 only (lean, no token) c=16 5 s", unauth, c0));

    const bare = await startBareServer(port + 1);
    try {
      c0 = cpuMs(bare.pid);
      const floor = await cannon({ url: bare.url, method: "POST", headers: { "content-type": "application/json" }, body: "{}", duration: 5 });
      console.log(line("bare node:http reference c=16 5 s", floor, c0, bare.pid));
    } finally {
      bare.stop();
    }

    const body = JSON.stringify({ run_id, key: "loss", value: 0.5, timestamp: Date.now(), step: 1 });
    await cannon({ url: base + "runs/log-metric", method: "POST", headers, body, duration: 3 }); // warm-up
    c0 = cpuMs(server.pid);
    const r = await cannon({ url: base + "runs/log-metric", method: "POST", headers, body, duration: DURATION });
    console.log(line(`log-metric c=16 ${DURATION} s`, r, c0));
    if (label === "postgresql") {
      // Next's code and the lean layer share one Prisma client (globalThis), so one pool: the server
      // holds at most one pool's worth of connections (pg's default max 10). /api/auth/ok (Next,
      // better-auth's rate limit rows) is driven first so that Next's copy of lib/server/db has run.
      await cannon({ url: `${server.url}/api/auth/ok`, duration: 2 });
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      const { rows } = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
      await c.end();
      console.log(`[${label}] server connections to the database after both paths ran: ${rows[0].n}`);
    }

    if (!NEXT_BASELINE) return;
    // The same two measurements through `next start`, one server at a time on the machine.
    await server.stop();
    const next = await startNextStart(port, databaseUrl);
    try {
      const nextBase = `${next.url}/api/2.0/mlflow/`;
      let n0 = cpuMs(next.pid);
      const nextUnauth = await cannon({ url: nextBase + "runs/log-metric", method: "POST", headers: { "content-type": "application/json" }, body: "{}", duration: 5 });
      console.log(line("next start: 401 only c=16 5 s", nextUnauth, n0, next.pid));
      await cannon({ url: nextBase + "runs/log-metric", method: "POST", headers, body, duration: 3 }); // warm-up
      n0 = cpuMs(next.pid);
      const nr = await cannon({ url: nextBase + "runs/log-metric", method: "POST", headers, body, duration: DURATION });
      console.log(line(`next start: log-metric c=16 ${DURATION} s`, nr, n0, next.pid));
    } finally {
      await next.stop();
    }
  } finally {
    await server.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), "cuaderno-bench-"));
try {
  await benchProvider("sqlite", `file:${join(dir, "bench.db")}`, PORT);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const pgServer = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (pgServer) {
  const name = `cuaderno_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgServer });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(pgServer);
  u.pathname = `/${name}`;
  try {
    await benchProvider("postgresql", u.toString(), PORT);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
} else console.log("[postgresql] skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL");
