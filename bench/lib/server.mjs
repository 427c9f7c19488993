// Starts Cuaderno the way the e2e config does (`node scripts/start.mjs`: migrations, demo data,
// a production build when sources changed, then the server of scripts/server.mjs) on its own
// port, temp database (or `env.DATABASE_URL`) and build folder, or uses an already running
// server (`--url`). Shared by the browser benchmarks and bench/tracking-server.bench.ts.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/**
 * `nodeArgs`: flags for the server's node (e.g. `--cpu-prof --cpu-prof-dir=DIR`, which NODE_OPTIONS refuses).
 * @param {{ url?: string | null, port?: number, log?: (line: string) => void, timeoutMs?: number, env?: Record<string, string>, nodeArgs?: string[] }} opts
 * @returns {Promise<{ url: string, stop(): Promise<void>, started: boolean, pid?: number }>}
 */
export async function startServer({ url = null, port = 3220, log = () => {}, timeoutMs = 15 * 60_000, env: extraEnv = {}, nodeArgs = [] } = {}) {
  if (url) {
    await waitForOk(url.replace(/\/$/, ""), 30_000);
    return { url: url.replace(/\/$/, ""), started: false, stop: async () => {} };
  }
  const base = `http://localhost:${port}`;
  const tmp = mkdtempSync(join(tmpdir(), "cuaderno-bench-"));
  const env = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: `file:${join(tmp, "bench.db")}`,
    CUADERNO_URL: base,
    SIGNIN_RATE_LIMIT: "1000",
    CUADERNO_DIST_DIR: process.env.CUADERNO_DIST_DIR ?? `.next-e2e-${port}`,
    ...extraEnv,
  };
  // Its own process group, so stopping it also stops a build in progress.
  const child = spawn(process.execPath, [...nodeArgs, join(root, "scripts", "start.mjs")], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let exited = null;
  child.on("exit", (code) => (exited = code ?? 0));
  const tail = [];
  const onData = (chunk) => {
    for (const line of String(chunk).split("\n")) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (/Building|Compiled|Creating an optimized|Build is up to date|Ready|error/i.test(line)) log(line.trim());
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const stop = async () => {
    if (exited === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await new Promise((r) => {
        const t = setTimeout(() => {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            // gone
          }
          r();
        }, 5000);
        child.once("exit", () => (clearTimeout(t), r()));
      });
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`the server exited (${exited}) before it was ready:\n${tail.join("\n")}`);
    }
    // The server runs in this process (scripts/start.mjs → scripts/server.mjs), so its CPU time is this pid's.
    if (await ok(base)) return { url: base, started: true, stop, pid: child.pid };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server was not ready within ${Math.round(timeoutMs / 1000)} s`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function ok(base) {
  try {
    const res = await fetch(`${base}/api/auth/ok`, { signal: AbortSignal.timeout(5000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function waitForOk(base, ms) {
  const deadline = Date.now() + ms;
  while (!(await ok(base))) {
    if (Date.now() > deadline) throw new Error(`${base}/api/auth/ok does not answer`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
