// Tracking REST hot path: round trip of one runs/log-batch of 1,000 metrics (p50/p99 over 30
// batches) and sustained runs/log-metric at concurrency 16 for 10 s (autocannon), on SQLite and
// PostgreSQL. The server is handleMlflowRequest in a plain Node http server in a child process.
// Run: npx tsx bench/tracking.bench.ts   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
// Prints figures only; targets: ≤ 50 ms per 1,000-point batch, ≥ 2,000 req/s, p99 ≤ 50 ms.
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
// @ts-expect-error autocannon ships no type declarations
import autocannon from "autocannon";
// @ts-ignore plain ESM script shared with npm start (typed under allowJs, untyped elsewhere)
import { applyMigrations } from "../scripts/migrations.mjs";
import { configureSqlite, createDb, type Db } from "@/lib/server/db";
import { handleMlflowRequest } from "@/lib/server/services/tracking/mlflow-rest";
import { createToken } from "@/lib/server/services/tokens";

const self = fileURLToPath(import.meta.url);

async function serve(url: string): Promise<void> {
  const db = createDb(url);
  if (!/^postgres/.test(url)) await configureSqlite(db);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === "GET" ? undefined : Buffer.concat(chunks) });
    const response = await handleMlflowRequest(request, { db });
    const body = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
  // The parent asks for the server's CPU time around each phase: CPU per request is far less
  // sensitive to a shared machine's load than req/s (PostgreSQL's own processes not included).
  process.on("message", (m: { cpu?: boolean }) => {
    if (m.cpu) {
      const u = process.cpuUsage();
      process.send!({ cpuUs: u.user + u.system });
    }
  });
  server.listen(0, "127.0.0.1", () => {
    const addr = server.address();
    process.send!({ port: typeof addr === "object" && addr ? addr.port : 0 });
  });
}

const load = () => `load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function benchProvider(label: string, url: string): Promise<void> {
  await applyMigrations(url);
  const db: Db = createDb(url);
  if (label === "sqlite") await configureSqlite(db);
  const user = await db.user.create({ data: { id: `bench_${Date.now()}`, name: "Bench", email: `bench_${Date.now()}@example.test` }, select: { id: true, name: true, email: true } });
  const { token } = await createToken({ db, user: { ...user, role: "student" } }, { name: "bench" });
  await db.$disconnect();

  const child = fork(self, ["--serve", url], { execArgv: process.execArgv, stdio: "inherit" });
  const port: number = await new Promise((resolve) => child.once("message", (m: { port: number }) => resolve(m.port)));
  const base = `http://127.0.0.1:${port}/api/2.0/mlflow/`;
  const serverCpuUs = (): Promise<number> =>
    new Promise((resolve) => {
      child.once("message", (m: { cpuUs: number }) => resolve(m.cpuUs));
      child.send({ cpu: true });
    });
  const cpuPer = (us: number, n: number) => `server CPU ${(us / n / 1000).toFixed(2)} ms/request`;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const post = async (path: string, body: unknown, extra: Record<string, string> = {}) => {
    const r = await fetch(base + path, { method: "POST", headers: { ...headers, ...extra }, body: JSON.stringify(body) });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<Record<string, any>>;
  };
  try {
    const { run } = await post("runs/create", { run_name: "bench" });
    const run_id: string = run.info.run_id;

    const times: number[] = [];
    let batchCpu = 0;
    for (let b = 0; b < 33; b++) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: `m${i % 10}`, value: Math.random(), timestamp: Date.now(), step: b * 100 + Math.floor(i / 10) }));
      const c0 = await serverCpuUs();
      const t0 = performance.now();
      await post("runs/log-batch", { run_id, metrics }, { "x-cuaderno-batch-id": `bench-${label}-${b}` });
      if (b >= 3) times.push(performance.now() - t0); // 3 warm-up batches
      if (b >= 3) batchCpu += (await serverCpuUs()) - c0;
    }
    console.log(`[${label}] log-batch 1,000 metrics x ${times.length}: p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms, ${cpuPer(batchCpu, times.length)} (${load()})`);

    // Baseline in the same server: an unknown endpoint (routing + Request/Response, no auth, no DB).
    let c0 = await serverCpuUs();
    const floor = await autocannon({ url: base + "nothing-here", method: "POST", headers, body: "{}", connections: 16, duration: 5 });
    console.log(`[${label}] baseline (no DB) c=16 5 s: ${floor.requests.average.toFixed(0)} req/s, p99 ${floor.latency.p99} ms, ${cpuPer((await serverCpuUs()) - c0, floor.requests.total)} (${load()})`);

    const body = JSON.stringify({ run_id, key: "loss", value: 0.5, timestamp: Date.now(), step: 1 });
    await autocannon({ url: base + "runs/log-metric", method: "POST", headers, body, connections: 16, duration: 2 }); // warm-up
    c0 = await serverCpuUs();
    const r = await autocannon({ url: base + "runs/log-metric", method: "POST", headers, body, connections: 16, duration: 10 });
    console.log(
      `[${label}] log-metric c=16 10 s: ${r.requests.average.toFixed(0)} req/s (${((100 * r.requests.average) / floor.requests.average).toFixed(0)}% of baseline), p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}, ${cpuPer((await serverCpuUs()) - c0, r.requests.total)} (${load()})`,
    );
  } finally {
    child.kill();
  }
}

if (process.argv[2] === "--serve") {
  await serve(process.argv[3]);
} else {
  const dir = mkdtempSync(join(tmpdir(), "cuaderno-bench-"));
  try {
    await benchProvider("sqlite", `file:${join(dir, "bench.db")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (server) {
    const name = `cuaderno_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const u = new URL(server);
    u.pathname = `/${name}`;
    try {
      await benchProvider("postgresql", u.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  } else console.log("[postgresql] skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL");
}
