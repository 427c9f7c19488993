// `npm test`: every suite — type check, unit + integration (vitest; PostgreSQL too when
// TEST_DATABASE_URL is set), end to end (Playwright on the system Chromium) — then one line
// `N passed, N failed` summing them all.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./prisma-schemas.mjs";
import { chromiumPath, INSTALL_HINT } from "../tests/browser.mjs";

const bin = (pkg, rel) => join(root, "node_modules", pkg, rel);
const out = mkdtempSync(join(tmpdir(), "cuaderno-test-"));
const totals = { passed: 0, failed: 0, skipped: 0 };
/** What failed, suite by suite, repeated just above the summing line (CI shows an output's tail). */
const failures = [];
const firstLine = (text) => String(text ?? "").split("\n").find((l) => l.trim())?.trim().slice(0, 300) ?? "";
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const wants = (suite) => only.length === 0 || only.includes(suite);

/** Runs a node script with inherited output; resolves to its exit status (the event loop keeps turning). */
function run(label, args, env = {}) {
  console.log(`\n▶ ${label}\n`);
  const child = spawn(process.execPath, args, { stdio: "inherit", cwd: root, env: { ...process.env, ...env } });
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
}

/** Runs a node script with its output kept in a file; resolves to { status, output }. */
function runQuiet(args, log, env = {}) {
  const fd = openSync(log, "w");
  const child = spawn(process.execPath, args, { stdio: ["ignore", fd, fd], cwd: root, env: { ...process.env, ...env } });
  return new Promise((resolve) => child.on("exit", (code) => resolve({ status: code ?? 1, output: readFileSync(log, "utf8") })));
}

const TSC = [bin("typescript", "bin/tsc"), "--noEmit", "-p", "."];

// The production build the end-to-end suite serves is made while vitest runs (the build takes a
// minute or two), and the type check runs as soon as the build is done (it includes the route
// types the build writes), still beside vitest (two workers; tests/vitest.config.ts). Playwright's server then
// finds the build up to date. It goes into the folder Playwright's config picks for its port.
const e2ePort = Number(process.env.E2E_PORT ?? 3100);
const e2eDistDir = process.env.CUADERNO_DIST_DIR ?? (e2ePort === 3100 ? ".next" : `.next-e2e-${e2ePort}`);
const build = wants("e2e") && chromiumPath() ? startBuild() : null;

function startBuild() {
  const log = join(out, "build.log");
  console.log(`\n▶ Production build for the end-to-end suite, beside the other suites (log: ${log})\n`);
  const args = ["-e", 'import("./scripts/build-if-stale.mjs").then((m) => m.buildIfStale())'];
  const done = runQuiet(args, log, { CUADERNO_DIST_DIR: e2eDistDir, NEXT_TELEMETRY_DISABLED: "1" }).then((r) => r.status);
  return { log, done };
}

/** Waits for the build; a failed one is shown (Playwright's server start would try again). */
async function awaitBuild() {
  if (!build) return;
  const code = await build.done;
  if (code !== 0) console.error(`\n✗ The production build failed (exit ${code}):\n${readFileSync(build.log, "utf8").slice(-4000)}`);
}

// With a build, the type check follows it in the background; its output is shown after vitest.
const typeCheck = build && wants("types")
  ? build.done.then(() => {
      console.log("\n▶ Type check (tsc --noEmit) started beside vitest, the build being done\n");
      return runQuiet(TSC, join(out, "tsc.log"));
    })
  : null;

/** Playwright's JSON report → "file › title: first line of the error" for each test that failed every try. */
function e2eFailures(report) {
  const out = [];
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== "unexpected") continue;
        const error = test.results?.at(-1)?.error?.message;
        out.push(`playwright ${file} › ${spec.title}${test.projectName ? ` [${test.projectName}]` : ""}: ${firstLine(error?.replace(/\u001b\[[0-9;]*m/g, ""))}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, file);
  };
  for (const suite of report.suites ?? []) walk(suite, suite.file ?? suite.title);
  return out;
}

if (wants("unit")) {
  const report = join(out, "vitest.json");
  const status = await run("Unit and integration tests (vitest)", [
    bin("vitest", "vitest.mjs"), "run", "--config", "tests/vitest.config.ts",
    "--reporter=default", "--reporter=json", `--outputFile.json=${report}`,
  ]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, "utf8"));
    totals.passed += r.numPassedTests;
    // A failed test counts once; a file that failed with no failed test (it did not load, a hook
    // threw) counts once too. (numFailedTestSuites would count the test's describe blocks as well.)
    totals.failed += r.numFailedTests;
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    for (const file of r.testResults ?? []) {
      const name = file.name.replace(`${root}/`, "");
      const failed = (file.assertionResults ?? []).filter((t) => t.status === "failed");
      for (const t of failed) failures.push(`vitest ${name} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
      if (file.status === "failed" && failed.length === 0) {
        totals.failed += 1;
        failures.push(`vitest ${name}: ${firstLine(file.message) || "the file failed"}`);
      }
    }
    // Vitest fails a run on an error outside any test (an unhandled rejection, say) without failing a test.
    if (status !== 0 && !failures.some((f) => f.startsWith("vitest"))) {
      totals.failed += 1;
      failures.push(`vitest: exited with ${status} with every test passing (an error outside the tests; see "Unhandled Errors" above)`);
    }
  } else {
    totals.failed += 1;
    failures.push("vitest: no report (the run did not finish)");
  }
}

await awaitBuild();
if (typeCheck) {
  const { status, output } = await typeCheck;
  console.log(`\n▶ Type check (tsc --noEmit): ${status === 0 ? "no errors" : "errors"}\n${output}`);
  totals[status === 0 ? "passed" : "failed"] += 1;
  if (status !== 0) failures.push(`tsc: ${firstLine(output.split("\n").find((l) => /error TS/.test(l)) ?? output)}`);
} else if (wants("types")) {
  const status = await run("Type check (tsc --noEmit)", TSC);
  totals[status === 0 ? "passed" : "failed"] += 1;
  if (status !== 0) failures.push("tsc: errors (above)");
}

if (wants("e2e")) {
  if (!chromiumPath()) {
    console.error(`\n✗ End-to-end suite not run. ${INSTALL_HINT}`);
    totals.failed += 1;
  } else {
    const report = join(out, "e2e.json");
    await run("End-to-end tests (Playwright, Chromium)", [bin("@playwright/test", "cli.js"), "test", "--config", "tests/playwright.config.ts"], {
      E2E_JSON_REPORT: report,
    });
    if (existsSync(report)) {
      const s = JSON.parse(readFileSync(report, "utf8")).stats;
      totals.passed += s.expected + (s.flaky ?? 0);
      totals.failed += s.unexpected;
      totals.skipped += s.skipped ?? 0;
      if (s.expected + s.unexpected === 0) {
        totals.failed += 1; // the suite did not run
        failures.push("playwright: no test ran");
      }
      failures.push(...e2eFailures(JSON.parse(readFileSync(report, "utf8"))));
    } else {
      totals.failed += 1;
      failures.push("playwright: no report (the run did not finish)");
    }
  }
}

if (failures.length) console.log(`\nFailed (${failures.length}):\n${failures.map((f) => `  ✗ ${f}`).join("\n")}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(totals.failed === 0 ? 0 : 1);
