import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHROMIUM_ARGS, chromiumPath, INSTALL_HINT } from "./browser.mjs";

const executablePath = chromiumPath();
if (!executablePath) throw new Error(INSTALL_HINT);

const PORT = Number(process.env.E2E_PORT ?? 3100);
// One fresh SQLite database per run; tests read it to check that bad input changed nothing.
process.env.E2E_DATABASE_FILE ??= join(mkdtempSync(join(tmpdir(), "cuaderno-e2e-")), "e2e.db");
process.env.E2E_BASE_URL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: "./e2e",
  testMatch: /.*\.e2e\.ts$/,
  fullyParallel: false,
  // One worker: on 2 cores the suite is CPU-bound (the lessons alone fill both cores), and a
  // second worker made it slower (16.3 min against ~14.5) and timing checks flaky. The lessons are
  // their own project, queued first; E2E_WORKERS=2 runs them beside the other files.
  workers: Number(process.env.E2E_WORKERS ?? 1),
  timeout: 120_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [["list"], ["json", { outputFile: process.env.E2E_JSON_REPORT ?? join(tmpdir(), "cuaderno-e2e.json") }]],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    browserName: "chromium",
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
    trace: "off",
    locale: "es-AR",
  },
  projects: [
    { name: "lessons", testMatch: /lessons\.e2e\.ts$/ },
    { name: "app", testIgnore: /lessons\.e2e\.ts$/ },
  ],
  webServer: {
    command: "node scripts/start.mjs",
    cwd: "..",
    url: `${process.env.E2E_BASE_URL}/api/auth/ok`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      DATABASE_URL: `file:${process.env.E2E_DATABASE_FILE}`,
      CUADERNO_URL: process.env.E2E_BASE_URL,
      SIGNIN_RATE_LIMIT: "1000",
      // A build folder per port, so parallel runs never rebuild under each other's server.
      CUADERNO_DIST_DIR: process.env.CUADERNO_DIST_DIR ?? (PORT === 3100 ? ".next" : `.next-e2e-${PORT}`),
    },
  },
});
