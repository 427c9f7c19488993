// Every lesson, in both languages, runs top to bottom in the browser on the WASM backend (the
// backend every student has), and every exercise behaves: its starter fails the check, its
// solution (put into the editor with "use solution") passes it.
//
// One test per lesson runs its two languages side by side (two browser contexts), to keep the
// file's time down on 2-core CI machines. The flow is the student's: Run all runs until the first exercise, whose starter fails its check
// and stops the batch; the test then reveals the solution, uses it, checks it, and runs the cells
// after it one by one until the next exercise. Errors are collected (cell id + message) and the
// test fails listing them, so one run shows every broken cell, not just the first.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { listLessons } from "../../lib/content/lessons";
import { parseLessonMarkdown } from "../../lib/notebook/lesson-markdown";
import { expectSignedInAs, signUp, uniqueEmail } from "./helpers";

const root = fileURLToPath(new URL("../..", import.meta.url));
const lessonsDir = join(root, "content", "lessons");
const LANGS = ["es", "en"] as const;

/** Per lesson (both languages); the slowest lesson on a loaded 2-core machine needs a few minutes. */
const LESSON_TIMEOUT_MS = 12 * 60_000;
const CELL_TIMEOUT_MS = 5 * 60_000;

declare global {
  interface Window {
    /** data-status changes seen per cell id since the watcher was installed. */
    __cellStatusChanges?: Record<string, number>;
  }
}

/** Counts every data-status change per cell, so a wait can tell "ran again" from "was already done". */
async function watchStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const changes: Record<string, number> = {};
    window.__cellStatusChanges = changes;
    const nb = document.querySelector('[data-testid="notebook"]')!;
    new MutationObserver((records) => {
      for (const r of records) {
        const id = (r.target as Element).closest("[data-cell-id]")?.getAttribute("data-cell-id");
        if (id) changes[id] = (changes[id] ?? 0) + 1;
      }
    }).observe(nb, { subtree: true, attributes: true, attributeFilter: ["data-status"] });
  });
}

const changeCount = (page: Page, id?: string) =>
  page.evaluate((id) => {
    const c = window.__cellStatusChanges ?? {};
    return id ? (c[id] ?? 0) : Object.values(c).reduce((a, b) => a + b, 0);
  }, id);

/** Clicks `button` (a cell's run or check) and waits until that cell has run and settled. */
async function runAndSettle(page: Page, cellId: string, button: Locator): Promise<string> {
  const before = await changeCount(page, cellId);
  await button.click();
  const handle = await page.waitForFunction(
    ({ id, before }) => {
      const el = document.querySelector(`[data-testid="cell"][data-cell-id="${CSS.escape(id)}"] [data-testid="cell-status"]`);
      const status = el?.getAttribute("data-status");
      return (window.__cellStatusChanges?.[id] ?? 0) > before && (status === "done" || status === "error") ? status : false;
    },
    { id: cellId, before },
    { timeout: CELL_TIMEOUT_MS, polling: 200 },
  );
  return (await handle.jsonValue()) as string;
}

async function verdictOf(cell: Locator): Promise<string | null> {
  const v = cell.getByTestId("exercise-verdict");
  return (await v.count()) ? v.getAttribute("data-verdict") : null;
}

async function errorText(cell: Locator): Promise<string> {
  const errors = cell.locator('[data-output="error"]');
  if ((await errors.count()) === 0) return "(status error, no error output)";
  return (await errors.allInnerTexts()).join(" | ").replace(/\s+/g, " ").trim().slice(0, 400);
}

interface LessonResult {
  lang: string;
  seconds: number;
  failures: string[];
}

/** Runs one lesson in one language top to bottom on wasm, exercises included; collects failures. */
async function runLesson(page: Page, slug: string, lang: "es" | "en"): Promise<LessonResult> {
  // Read the language's own file (readLessonSource would fall back to Spanish).
  const file = join(lessonsDir, slug, `${lang}.md`);
  if (!existsSync(file)) return { lang, seconds: 0, failures: [`content/lessons/${slug}/${lang}.md is missing`] };
  const doc = parseLessonMarkdown(readFileSync(file, "utf8"));
  const runnable = doc.cells.filter((c) => c.kind === "code" || c.kind === "sql" || c.kind === "exercise");
  const failures: string[] = [];
  page.on("dialog", (d) => void d.accept()); // "show the solution?" confirm

  // Solutions are handed out (and the reveal recorded) by the server, to signed-in students only.
  const name = `Lesson Runner ${lang}`;
  await signUp(page, { name, email: uniqueEmail(`lessons-${slug}-${lang}`), password: "correct horse battery", role: "student", locale: lang });
  await expectSignedInAs(page, name);
  await page.goto(`/${lang}/lessons/${slug}`);
  await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true", { timeout: 60_000 });
  const cellOf = (id: string) => page.locator(`[data-testid="cell"][data-cell-id="${id}"]`);
  // The page shows the lesson's cells, in order.
  const shown = await page.getByTestId("cell").evaluateAll((els) =>
    els.filter((e) => ["code", "sql", "exercise"].includes(e.getAttribute("data-kind") ?? "")).map((e) => e.getAttribute("data-cell-id")),
  );
  expect(shown, `${lang}: the page's runnable cells`).toEqual(runnable.map((c) => c.id));

  // Pin the backend: wasm, not whatever calibration would pick on this machine.
  await page.getByTestId("kernel-backend-select").selectOption("wasm");
  await expect(page.getByTestId("kernel-backend")).toHaveAttribute("data-backend", "wasm", { timeout: 120_000 });
  await watchStatuses(page);
  const t0 = Date.now();

  // Run all: it stops at the first error (normally the first exercise's failing starter).
  const before = await changeCount(page);
  await page.getByTestId("run-all").click();
  await page.waitForFunction(
    (before) => {
      const total = Object.values(window.__cellStatusChanges ?? {}).reduce((a, b) => a + b, 0);
      const busy = document.querySelector('[data-testid="cell-status"][data-status="queued"], [data-testid="cell-status"][data-status="running"]');
      return total > before && !busy;
    },
    before,
    { timeout: LESSON_TIMEOUT_MS, polling: 500 },
  );

  const statusOf = async (id: string) => (await cellOf(id).getByTestId("cell-status").getAttribute("data-status")) ?? "";
  let exercises = 0;
  for (const c of runnable) {
    const cell = cellOf(c.id);
    let status = await statusOf(c.id);
    if (c.kind === "exercise") {
      exercises++;
      // The starter, as the student finds it, must fail the check...
      if (status !== "done" && status !== "error") status = await runAndSettle(page, c.id, cell.getByTestId("exercise-check"));
      // ...and fail it through the check's own assertion (CheckError), not a crash.
      const verdict = await verdictOf(cell);
      const why = status === "error" ? await errorText(cell) : "";
      if (status !== "error" || verdict !== "failed" || !why.startsWith("CheckError")) {
        failures.push(`${c.id}: the starter should fail its check (status ${status}, verdict ${verdict ?? "none"}): ${why}`);
      }
      // Reveal the solution, put it in the editor, check again: it must pass.
      if (!c.solution.trim()) {
        failures.push(`${c.id}: the exercise has no solution to reveal`);
        continue;
      }
      await cell.getByTestId("exercise-show-solution").click();
      const solution = cell.getByTestId("exercise-solution");
      await expect(solution).toBeVisible();
      await solution.getByRole("button").click(); // "use solution": the editor now holds it
      await expect.poll(async () => (await cell.getByTestId("cell-source").first().textContent())?.trim()).toBe(c.solution.trim());
      status = await runAndSettle(page, c.id, cell.getByTestId("exercise-check"));
      const after = await verdictOf(cell);
      if (status !== "done" || after !== "passed") {
        failures.push(`${c.id}: the solution should pass its check (status ${status}, verdict ${after ?? "none"}): ${await errorText(cell)}`);
      }
      continue;
    }
    if (status !== "done" && status !== "error") status = await runAndSettle(page, c.id, cell.getByTestId("cell-run"));
    if (status !== "done") failures.push(`${c.id}: ${await errorText(cell)}`);
  }
  const seconds = (Date.now() - t0) / 1000;
  console.log(`[lessons.e2e] ${slug} ${lang}: ${seconds.toFixed(1)} s, ${runnable.length} cells, ${exercises} exercises, ${failures.length} failure(s)`);
  // Nothing switched the backend under us.
  await expect(page.getByTestId("kernel-backend")).toHaveAttribute("data-backend", "wasm");
  return { lang, seconds, failures };
}

const lessons = listLessons(lessonsDir);

test.describe("lessons run end to end on wasm", () => {
  test("there are lessons to run", () => {
    expect(lessons.length).toBeGreaterThan(0);
  });

  for (const lesson of lessons) {
    test(`${lesson.slug} (es + en): every cell runs; starters fail, solutions pass`, async ({ page, browser, baseURL }) => {
      test.setTimeout(LESSON_TIMEOUT_MS);
      // Both languages at once, each in its own context: the kernel is one single-threaded worker
      // per page, so on a 2-core machine the pair takes little more than one (LESSONS_E2E_SERIAL=1
      // runs them one after the other).
      const en = await browser.newContext({ baseURL, locale: "en-US" });
      try {
        const pages = { es: page, en: await en.newPage() };
        const run = (lang: (typeof LANGS)[number]) => runLesson(pages[lang], lesson.slug, lang);
        const results = process.env.LESSONS_E2E_SERIAL ? [await run("es"), await run("en")] : await Promise.all(LANGS.map(run));
        for (const r of results) {
          test.info().annotations.push({ type: "run time", description: `${lesson.slug} ${r.lang}: ${r.seconds.toFixed(1)} s on wasm` });
        }
        // Every failure of both languages in one message: "<lang> <cell id>: <error>".
        expect(results.flatMap((r) => r.failures.map((f) => `${r.lang} ${f}`)), `${lesson.slug} on wasm`).toEqual([]);
      } finally {
        await en.close();
      }
    });
  }
});
