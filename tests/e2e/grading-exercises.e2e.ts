// Server-graded exercises in the browser (issue 12, points 1, 2 and 9):
//   - nothing hidden reaches a browser: the lesson page's HTML, its RSC payload and the notebook
//     procedures a browser calls hold no line of a hidden `--- tests` section, of a solution or
//     of a hint (read from the real lesson file at test time);
//   - a student signed up in the browser types a wrong function with real keys, submits, sees the
//     named cases that failed; fixes it, submits, sees the full score and attempt 2;
//   - how long a submission takes to be graded (reported, not asserted).
// The lesson is metrics-baselines; its first graded function exercise is found by reading the file.
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTestsSection } from "../../lib/grading/exercise-spec";
import { publicLessonDocument } from "../../lib/notebook/hidden";
import { parseLessonMarkdown } from "../../lib/notebook/lesson-markdown";
import type { ExerciseCell, NotebookDocument } from "../../lib/notebook/types";
import { expectSignedInAs, signUp, uniqueEmail } from "./helpers";

const root = fileURLToPath(new URL("../..", import.meta.url));
const SLUG = "metrics-baselines";
const KEY_DELAY_MS = 40;

function lessonDoc(locale: "es" | "en"): NotebookDocument {
  return parseLessonMarkdown(readFileSync(join(root, "content", "lessons", SLUG, `${locale}.md`), "utf8"));
}

/** The lesson's first exercise with a function `--- tests` section. */
function firstFunctionExercise(doc: NotebookDocument): ExerciseCell {
  const ex = doc.cells.find((c): c is ExerciseCell => c.kind === "exercise" && c.tests !== undefined && parseTestsSection(c.tests).kind === "function");
  if (!ex) throw new Error(`${SLUG} has no graded function exercise`);
  return ex;
}

/**
 * Lines only the server holds: a case line of a hidden tests section, a solution line and a hint
 * line, each absent from everything the browser is meant to get (the public document).
 */
function hiddenLines(doc: NotebookDocument): { what: string; line: string }[] {
  const pub = JSON.stringify(publicLessonDocument(doc));
  const telling = (l: string) => l.trim().length >= 16 && !pub.includes(JSON.stringify(l.trim()).slice(1, -1));
  const exercises = doc.cells.filter((c): c is ExerciseCell => c.kind === "exercise");
  const pick = (what: string, texts: string[], also: (l: string) => boolean = () => true) => {
    const line = texts.flatMap((t) => t.split("\n")).map((l) => l.trim()).find((l) => telling(l) && also(l));
    if (!line) throw new Error(`${SLUG}: no ${what} line to look for`);
    return { what, line };
  };
  return [
    pick("hidden test", exercises.flatMap((e) => (e.tests ? [e.tests] : [])), (l) => l.startsWith("case ")),
    pick("solution", exercises.map((e) => e.solution)),
    pick("hint", exercises.flatMap((e) => e.hints)),
  ];
}

/** The ways a line can be spelled in a response: as is, JSON-escaped (props, RSC, tRPC), HTML-escaped. */
function spellings(line: string): string[] {
  const json = JSON.stringify(line).slice(1, -1);
  const html = line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const htmlAlt = html.replace(/&quot;/g, "&#34;").replace(/'/g, "&#x27;");
  const jsonInJson = JSON.stringify(json).slice(1, -1); // a JSON string inside a JSON string (RSC rows)
  return [...new Set([line, json, html, htmlAlt, jsonInJson])];
}

function expectNoHidden(body: string, source: string, hidden: { what: string; line: string }[]) {
  for (const h of hidden) {
    for (const s of spellings(h.line)) expect(body.includes(s), `${source} holds a ${h.what} line: ${h.line.slice(0, 60)}`).toBe(false);
  }
}

const trpcGet = (request: APIRequestContext, path: string, input?: unknown) =>
  request.get(`/api/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`);

async function openLesson(page: Page): Promise<void> {
  await page.goto(`/es/lessons/${SLUG}`);
  await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true", { timeout: 60_000 });
}

/** Monaco's loader is held back, so typing goes to the cell's own text area (deterministic: no completion widget). */
async function holdMonaco(page: Page): Promise<void> {
  await page.route("**/vendor/monaco/vs/loader.js", () => undefined);
}

/** Replaces the cell's code by typing `code` line by line (the editor indents after `{` itself). */
async function typeCode(page: Page, cell: Locator, code: string): Promise<void> {
  const draft = cell.getByTestId("cell-draft");
  await ((await draft.isVisible()) ? draft : cell.getByTestId("cell-source").first()).click();
  await expect(draft).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  const lines = code.split("\n").map((l) => l.trim());
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) await page.keyboard.press("Enter", { delay: KEY_DELAY_MS });
    await page.keyboard.type(lines[i]!, { delay: KEY_DELAY_MS });
  }
}

async function signUpStudent(page: Page, name: string): Promise<void> {
  await signUp(page, { name, email: uniqueEmail("grading"), password: "correct horse battery", role: "student" });
  await expectSignedInAs(page, name);
}

test.describe("server-graded exercises", () => {
  test("no hidden test, solution or hint reaches the browser: page HTML, RSC payload, notebook procedures", async ({ page, request }) => {
    const doc = lessonDoc("es");
    const hidden = hiddenLines(doc);
    const ex = firstFunctionExercise(doc);
    test.info().annotations.push({ type: "searched for", description: hidden.map((h) => `${h.what}: ${h.line}`).join(" | ") });

    // A guest's page.
    const guestHtml = await (await request.get(`/es/lessons/${SLUG}`)).text();
    expect(guestHtml).toContain(`data-cell-id="${ex.id}"`);
    expectNoHidden(guestHtml, "the guest's page HTML", hidden);

    // A student's: the page, its RSC payload, and what the notebook asks the server for.
    await signUpStudent(page, "Leak Check");
    await holdMonaco(page);
    await openLesson(page);
    const cell = page.locator(`[data-testid="cell"][data-cell-id="${ex.id}"]`);
    await expect(cell.getByTestId("exercise-submit")).toBeVisible();
    // An edit makes the student's copy on the server (notebooks.get then returns it).
    await cell.getByTestId("cell-source").first().click();
    await page.keyboard.type(" ", { delay: KEY_DELAY_MS });
    const req = page.request;
    const key = { kind: "lesson", slug: SLUG, locale: "es" };
    await expect.poll(async () => (await (await trpcGet(req, "notebooks.get", key)).text()).includes(ex.id), { timeout: 30_000 }).toBe(true);

    const html = await (await req.get(`/es/lessons/${SLUG}`)).text();
    expect(html).toContain(`data-cell-id="${ex.id}"`);
    expectNoHidden(html, "the page HTML", hidden);
    const rscResponse = await req.get(`/es/lessons/${SLUG}`, { headers: { RSC: "1" } });
    expect(rscResponse.headers()["content-type"]).toContain("text/x-component");
    const rsc = await rscResponse.text();
    expect(rsc).toContain(ex.id); // the payload does carry the lesson document...
    expect(rsc).toContain(JSON.stringify(ex.starter.split("\n")[0]!.trim()).slice(1, -1)); // ...starters included
    expectNoHidden(rsc, "the RSC payload", hidden);

    const calls: [string, unknown][] = [
      ["notebooks.get", key],
      ["notebooks.versions", key],
      ["grading.mine", { lessonSlug: SLUG, locale: "es" }],
      ["progress.mine", undefined],
    ];
    for (const [path, input] of calls) {
      const res = await trpcGet(req, path, input);
      expect(res.status(), `${path} answers`).toBe(200);
      const body = await res.text();
      if (path === "notebooks.get") expect(body).toContain(ex.id); // the student's copy, as saved
      expectNoHidden(body, path, hidden);
    }
  });

  test("a student types a wrong function, submits, sees the failed cases by name; fixes it and gets the full score on attempt 2", async ({ page }) => {
    const doc = lessonDoc("es");
    const ex = firstFunctionExercise(doc);
    const spec = parseTestsSection(ex.tests!);
    if (spec.kind !== "function") throw new Error("not a function exercise");
    const caseNames = spec.cases.map((c) => c.name);

    await signUpStudent(page, "Grace Student");
    await holdMonaco(page);
    await openLesson(page);
    const cell = page.locator(`[data-testid="cell"][data-cell-id="${ex.id}"]`);
    const submit = cell.getByTestId("exercise-submit");
    await expect(submit).toHaveText("Entregar");
    await expect(cell.getByTestId("exercise-grade")).toHaveCount(0);

    // Wrong: the starter, as a student would type it (it fails the hidden tests: tests/unit/grading/lesson-exercises).
    await typeCode(page, cell, ex.starter);
    await expect.poll(async () => (await cell.getByTestId("cell-draft").inputValue()).replace(/\s+/g, "")).toBe(ex.starter.replace(/\s+/g, ""));
    let t0 = Date.now();
    await submit.click();
    const grade = cell.getByTestId("exercise-grade");
    await expect(grade).toHaveAttribute("data-attempt", "1");
    const firstMs = Date.now() - t0;
    await expect(grade.getByTestId("exercise-attempt")).toHaveText("Intento 1");
    expect(Number(await grade.getAttribute("data-score"))).toBeLessThan(1);
    const cases = grade.getByTestId("exercise-case");
    await expect(cases).toHaveCount(caseNames.length);
    for (let i = 0; i < caseNames.length; i++) await expect(cases.nth(i)).toContainText(caseNames[i]!);
    const failed = grade.locator('[data-testid="exercise-case"][data-passed="false"]');
    expect(await failed.count()).toBeGreaterThan(0);
    // A failed case says how it failed, translated ("resultado incorrecto", "lanzó un error", …), never the values.
    await expect(failed.first()).toContainText(/—\s\S/);
    await expect(grade.getByTestId("exercise-cases-passed")).toContainText(`de ${caseNames.length} casos`);

    // Right: the reference solution, typed.
    await typeCode(page, cell, ex.solution);
    t0 = Date.now();
    await submit.click();
    await expect(grade).toHaveAttribute("data-attempt", "2");
    const secondMs = Date.now() - t0;
    await expect(grade.getByTestId("exercise-attempt")).toHaveText("Intento 2");
    await expect(grade.getByTestId("exercise-score")).toHaveText("Nota: 100 %");
    await expect(grade.getByTestId("exercise-cases-passed")).toHaveText(`${caseNames.length} de ${caseNames.length} casos`);
    await expect(grade.locator('[data-testid="exercise-case"][data-passed="true"]')).toHaveCount(caseNames.length);
    await expect(grade.getByTestId("exercise-capped")).toHaveCount(0);
    const timing = `attempt 1: ${firstMs} ms, attempt 2: ${secondMs} ms`;
    console.log(`[grading-exercises.e2e] click → grade on the page: ${timing}`);
    test.info().annotations.push({ type: "click → grade on the page", description: timing });

    // The grade survives a reload: earlier submissions load with grading.mine.
    await page.reload();
    await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true", { timeout: 60_000 });
    await expect(cell.getByTestId("exercise-grade")).toHaveAttribute("data-attempt", "2");
    await expect(cell.getByTestId("exercise-history")).toContainText("1 entrega anterior");
  });

  test("hints come from the server one at a time; the solution is shown after a confirmation that names the cap, and caps the next grade", async ({ page }) => {
    const ex = firstFunctionExercise(lessonDoc("es"));
    if (ex.hints.length === 0) throw new Error(`${ex.id} has no hints`);
    await signUpStudent(page, "Hint Taker");
    await holdMonaco(page);
    await openLesson(page);
    const cell = page.locator(`[data-testid="cell"][data-cell-id="${ex.id}"]`);
    const hint = cell.getByTestId("exercise-hint");
    await expect(hint).toHaveText(`Pista 1 de ${ex.hints.length}`);
    await hint.click();
    await expect(cell.getByTestId("exercise-hints").locator("li")).toHaveText([ex.hints[0]!]);
    if (ex.hints.length > 1) await expect(hint).toHaveText(`Pista 2 de ${ex.hints.length}`);

    // The confirmation says what the reveal costs (the default policy: a revealed solution scores 0).
    const dialogs: string[] = [];
    page.once("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await cell.getByTestId("exercise-show-solution").click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toContain("0 %");
    await expect(cell.getByTestId("exercise-solution")).toHaveCount(0); // dismissed: nothing shown
    page.once("dialog", (d) => void d.accept());
    await cell.getByTestId("exercise-show-solution").click();
    const solution = cell.getByTestId("exercise-solution");
    await expect(solution.getByTestId("cell-source")).toHaveText(ex.solution);
    await solution.getByRole("button").click(); // copy into the cell
    await cell.getByTestId("exercise-submit").click();
    const grade = cell.getByTestId("exercise-grade");
    await expect(grade).toHaveAttribute("data-attempt", "1");
    await expect(grade.getByTestId("exercise-score")).toHaveText("Nota: 0 %");
    await expect(grade.getByTestId("exercise-capped")).toHaveAttribute("data-reason", "reveal");
    await expect(grade.getByTestId("exercise-capped")).toContainText("sin eso: 100 %");
    // After a reload the hint and the solution are still there (the server recorded them).
    await page.reload();
    await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true", { timeout: 60_000 });
    await expect(cell.getByTestId("exercise-hints").locator("li")).toHaveText([ex.hints[0]!]);
    await expect(cell.getByTestId("exercise-solution")).toBeVisible();
  });

  test("a submission is graded within about a second (measured, reported)", async ({ page }) => {
    const ex = firstFunctionExercise(lessonDoc("es"));
    await signUpStudent(page, "Timing Student");
    await openLesson(page);
    // Through the procedure the Submit button calls, from the page (cookies, same origin), timed in the browser.
    const timings = await page.evaluate(
      async ({ slug, exerciseId, code }) => {
        const out: { ms: number; attempt: number | null }[] = [];
        for (let i = 0; i < 12; i++) {
          const t0 = performance.now();
          const res = await fetch("/api/trpc/grading.submit", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ json: { lessonSlug: slug, locale: "es", exerciseId, code } }),
          });
          const body = (await res.json()) as { result?: { data?: { json?: { attempt: number | null } } } };
          out.push({ ms: performance.now() - t0, attempt: body.result?.data?.json?.attempt ?? null });
        }
        return out;
      },
      { slug: SLUG, exerciseId: ex.id, code: ex.solution },
    );
    expect(timings.map((t) => t.attempt)).toEqual(timings.map((_, i) => i + 1));
    const warm = timings.slice(1).map((t) => t.ms).sort((a, b) => a - b);
    const p50 = warm[Math.floor(warm.length / 2)]!;
    const max = warm.at(-1)!;
    const report = `first ${timings[0]!.ms.toFixed(0)} ms (may prepare the exercise), then p50 ${p50.toFixed(0)} ms, max ${max.toFixed(0)} ms over ${warm.length}`;
    console.log(`[grading-exercises.e2e] submit → grade: ${report}`);
    test.info().annotations.push({ type: "submit → grade (grading.submit from the page)", description: report });

    // And through the button: click → grade on the page.
    const cell = page.locator(`[data-testid="cell"][data-cell-id="${ex.id}"]`);
    const t0 = Date.now();
    await cell.getByTestId("exercise-submit").click();
    await expect(cell.getByTestId("exercise-grade")).toHaveAttribute("data-attempt", String(timings.length + 1));
    const clickMs = Date.now() - t0;
    console.log(`[grading-exercises.e2e] click → grade shown: ${clickMs} ms`);
    test.info().annotations.push({ type: "click → grade shown", description: `${clickMs} ms` });
  });

  test("a guest sees the exercise checked in the browser and is asked to sign in to submit", async ({ page }) => {
    const ex = firstFunctionExercise(lessonDoc("es"));
    await openLesson(page);
    const cell = page.locator(`[data-testid="cell"][data-cell-id="${ex.id}"]`);
    await expect(cell.getByTestId("exercise-sign-in-to-submit")).toHaveText("Iniciá sesión para entregar y recibir una nota.");
    await expect(cell.getByTestId("exercise-submit")).toHaveCount(0);
    await expect(cell.getByTestId("exercise-check")).toHaveAttribute("title", "comprobado en tu navegador");
  });
});
