// Instructors author lessons in the app (issue 15 point 11), in real Chromium with key events at
// human speed: an instructor copies a course lesson, edits a cell in Spanish and sees the English
// one marked outdated, adds an exercise with hidden tests (both languages), publishes it (the
// check runs the server's rules, the hidden tests in the sandbox and every cell in the browser's
// kernel), assigns it to a class with a due date; a student sees it assigned on the home page,
// does the exercise and is graded by the server; a second publish shows the student "lesson
// updated" with their code kept.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectSignedInAs, signUp, uniqueEmail } from "./helpers";

const KEY_DELAY_MS = 25;
const password = "teach-password-1";
const BUILTIN = "mlops-intro";

async function newUser(page: Page, name: string, role: "student" | "instructor") {
  await signUp(page, { name, email: uniqueEmail(`teach-${role}`), password, role });
  await expectSignedInAs(page, name);
}

/**
 * Types into a field at human speed (each line, then Enter). A code field of author mode is the
 * students' editor: a click puts the caret in its text area (then Monaco, where it is loaded).
 */
async function typeInto(page: Page, field: Locator, text: string) {
  await field.click();
  const tag = await field.evaluate((e) => e.tagName);
  await expect(tag === "INPUT" || tag === "TEXTAREA" ? field : field.getByTestId("cell-draft")).toBeFocused();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) await page.keyboard.press("Enter");
    await page.keyboard.type(lines[i]!, { delay: KEY_DELAY_MS });
  }
}

const EXERCISE = {
  starter: "function double(x: number): number { return 0; }",
  check: 'check(double(2) === 4, "double(2) = 4");',
  solution: "function double(x: number): number { return 2 * x; }",
  functionName: "double",
  tolerance: "1e-9",
  cases: 'case "dos": 2\ncase "negativo": -3',
};

test("an instructor writes, checks, publishes and assigns a lesson; a student is graded on it and sees 'lesson updated'", async ({ browser }) => {
  test.setTimeout(600_000);
  const teacher = await (await browser.newContext()).newPage();
  // The fields' text areas stay the editor (Monaco is typed into in the test below).
  await teacher.route("**/vendor/monaco/vs/loader.js", () => undefined);
  await newUser(teacher, "Prof Autora", "instructor");
  await teacher.goto("/es/classes");
  const form = teacher.getByTestId("create-class-form");
  await form.locator('input[name="className"]').pressSequentially("Autoría", { delay: KEY_DELAY_MS });
  await form.locator('button[type="submit"]').click();
  const item = teacher.getByTestId("class-item").filter({ hasText: "Autoría" });
  const code = (await item.getByTestId("class-code").textContent())!.trim();

  // A copy of a course lesson.
  await teacher.getByTestId("nav-teach").click();
  await expect(teacher.getByTestId("teach-library")).toBeVisible();
  await teacher.getByTestId("builtin-select").selectOption(BUILTIN);
  await teacher.getByTestId("copy-builtin").click();
  await expect(teacher).toHaveURL(/\/es\/teach\/lessons\/u-[a-z0-9]{10}$/, { timeout: 30_000 });
  const slug = teacher.url().split("/").pop()!;
  await expect(teacher.getByTestId("author-editor")).toBeVisible();

  // An edit in Spanish marks the English cell outdated.
  const firstRow = teacher.getByTestId("author-cell").first();
  const es = firstRow.getByTestId("cell-form-es");
  const en = firstRow.getByTestId("cell-form-en");
  await expect(en).toHaveAttribute("data-outdated", "false");
  await es.getByTestId("source-es").click();
  await teacher.keyboard.press("ControlOrMeta+End");
  await teacher.keyboard.type(" Editado.", { delay: KEY_DELAY_MS });
  await expect(en).toHaveAttribute("data-outdated", "true");
  await expect(en.getByTestId("outdated-mark")).toContainText("Traducción desactualizada");
  await expect(es).toHaveAttribute("data-outdated", "false");
  // Updating the English text clears the mark (and does not mark the Spanish one).
  await en.getByTestId("source-en").click();
  await teacher.keyboard.press("ControlOrMeta+End");
  await teacher.keyboard.type(" Edited.", { delay: KEY_DELAY_MS });
  await expect(en).toHaveAttribute("data-outdated", "false");
  await expect(es).toHaveAttribute("data-outdated", "false");

  // A new exercise with hidden tests, at the end, written in both languages.
  // The server renders the first rows; the others follow in idle time.
  await expect(teacher.getByTestId("author-editor")).toHaveAttribute("data-rows", "all");
  const rows = teacher.getByTestId("author-cell");
  const before = await rows.count();
  await rows.last().getByTestId("add-exercise").click();
  await expect(rows).toHaveCount(before + 1);
  const exRow = rows.last();
  const exerciseId = (await exRow.getAttribute("data-cell-id"))!;
  for (const l of ["es", "en"] as const) {
    const f = exRow.getByTestId(`cell-form-${l}`);
    await typeInto(teacher, f.getByTestId(`starter-${l}`), EXERCISE.starter);
    await typeInto(teacher, f.getByTestId(`check-${l}`), EXERCISE.check);
    await typeInto(teacher, f.getByTestId(`solution-${l}`), EXERCISE.solution);
    if (l === "es") {
      // The author runs the solution and the starter against the browser check, in this page's kernel.
      await f.getByTestId("run-solution-es-button").click();
      await expect(f.getByTestId("run-solution-es-check")).toHaveText("La comprobación pasó", { timeout: 120_000 });
      await f.getByTestId("run-starter-es-button").click();
      await expect(f.getByTestId("run-starter-es-check")).toHaveText("La comprobación no pasó", { timeout: 60_000 });
    }
    if (l === "es") {
      // Grading kind, function name and tolerance are the same in both languages: set once.
      await f.getByTestId("grading-kind-es").selectOption("function");
      await typeInto(teacher, f.getByTestId("grading-target-es"), EXERCISE.functionName);
      // A value the grading would not read is refused, in the instructor's language, and not stored.
      await typeInto(teacher, f.getByTestId("tolerance-abs-es"), "-1");
      await expect(f.getByTestId("tolerance-abs-es-problem")).toContainText("no es una tolerancia");
      await teacher.keyboard.press("ControlOrMeta+a");
      await teacher.keyboard.type(EXERCISE.tolerance, { delay: KEY_DELAY_MS });
      await expect(f.getByTestId("tolerance-abs-es-problem")).toHaveCount(0);
    } else {
      await expect(f.getByTestId("grading-kind-en")).toHaveValue("function");
      await expect(f.getByTestId("grading-target-en")).toHaveValue(EXERCISE.functionName);
      await expect(f.getByTestId("tolerance-abs-en")).toHaveValue(EXERCISE.tolerance);
    }
    await typeInto(teacher, f.getByTestId(`tests-${l}`), l === "es" ? EXERCISE.cases : EXERCISE.cases.replace('"dos"', '"two"').replace('"negativo"', '"negative"'));
  }
  await expect(teacher.getByTestId("save-state")).toHaveAttribute("data-state", "saved", { timeout: 30_000 });

  // Publish: the check runs first (server rules and sandbox, then every cell in this browser's kernel).
  await teacher.getByTestId("publish").click();
  await expect(teacher.getByTestId("teach-notice")).toContainText("Publicada como versión 1", { timeout: 300_000 });

  // Assigned to the class with a due date.
  const due = new Date(Date.now() + 7 * 86_400_000);
  const dueLocal = new Date(due.getTime() - due.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await teacher.getByTestId("assign-due").fill(dueLocal);
  await teacher.getByTestId("assign-submit").click();
  await expect(teacher.getByTestId("assignments")).toContainText("Autoría");

  // The student joins and sees the lesson assigned, with its due date.
  const student = await (await browser.newContext()).newPage();
  await newUser(student, "Estu Diante", "student");
  await student.goto("/es/classes");
  const join = student.getByTestId("join-class-form");
  await join.locator('input[name="joinCode"]').pressSequentially(code, { delay: KEY_DELAY_MS });
  await join.locator('button[type="submit"]').click();
  await expect(student.getByTestId("join-success")).toContainText("Autoría");
  await student.goto("/es");
  const card = student.getByTestId("assigned-lesson");
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId("assigned-due")).toContainText("Entrega");
  await expect(card.getByTestId("assigned-status")).toHaveText("Sin empezar");

  // The student does the exercise and is graded by the server.
  await student.route("**/vendor/monaco/vs/loader.js", () => undefined);
  await card.getByRole("link").click();
  await expect(student).toHaveURL(new RegExp(`/es/lessons/${slug}\\?class=`));
  await expect(student.getByTestId("notebook")).toHaveAttribute("data-loaded", "true", { timeout: 60_000 });
  const cell = student.locator(`[data-testid="cell"][data-cell-id="${exerciseId}"]`);
  const draft = cell.getByTestId("cell-draft");
  await ((await draft.isVisible()) ? draft : cell.getByTestId("cell-source").first()).click();
  await expect(draft).toBeFocused();
  await student.keyboard.press("ControlOrMeta+a");
  await student.keyboard.type(EXERCISE.solution, { delay: KEY_DELAY_MS });
  await cell.getByTestId("exercise-submit").click();
  const grade = cell.getByTestId("exercise-grade");
  await expect(grade).toHaveAttribute("data-attempt", "1", { timeout: 90_000 });
  await expect(grade).toHaveAttribute("data-score", "1");
  // Their copy is on the server before the lesson changes.
  await expect
    .poll(async () => (await (await student.request.get(`/api/trpc/notebooks.get?input=${encodeURIComponent(JSON.stringify({ json: { kind: "lesson", slug, locale: "es" } }))}`)).text()).includes("2 * x"), { timeout: 30_000 })
    .toBe(true);

  // A second publish: the exercise's check changes.
  const check = exRow.getByTestId("cell-form-es").getByTestId("check-es");
  await check.click();
  await teacher.keyboard.press("ControlOrMeta+End");
  await teacher.keyboard.type(' check(double(0) === 0, "double(0) = 0");', { delay: KEY_DELAY_MS });
  await expect(teacher.getByTestId("save-state")).toHaveAttribute("data-state", "saved", { timeout: 30_000 });
  await teacher.getByTestId("publish").click();
  await expect(teacher.getByTestId("teach-notice")).toContainText("Publicada como versión 2", { timeout: 300_000 });

  // The student is told, keeps their code in the cell both changed, and gets the new check.
  await student.reload();
  const banner = student.getByTestId("lesson-updated");
  await expect(banner).toBeVisible({ timeout: 30_000 });
  const conflict = banner.locator(`[data-testid="update-conflict"][data-cell-id="${exerciseId}"]`);
  await expect(conflict).toBeVisible();
  await expect(conflict.getByTestId("choose-mine")).toBeChecked();
  await banner.getByTestId("apply-update").click();
  await expect(student.getByTestId("lesson-updated")).toHaveCount(0, { timeout: 30_000 });
  await expect(student.getByTestId("notebook")).toHaveAttribute("data-loaded", "true", { timeout: 60_000 });
  await expect(student.locator(`[data-testid="cell"][data-cell-id="${exerciseId}"]`)).toContainText("2 * x");
});

test("author mode is the students' editor: a TypeScript cell typed in Monaco runs in the page's kernel and shows its output", async ({ page }) => {
  test.setTimeout(300_000);
  await newUser(page, "Prof Monaco", "instructor");
  await page.goto("/es/teach/lessons");
  await page.getByTestId("new-lesson-title").pressSequentially("Celdas", { delay: KEY_DELAY_MS });
  await page.getByTestId("new-lesson-title").press("Enter");
  await expect(page).toHaveURL(/\/es\/teach\/lessons\/u-[a-z0-9]{10}$/, { timeout: 30_000 });
  await expect(page.getByTestId("author-editor")).toHaveAttribute("data-rows", "all");
  const rows = page.getByTestId("author-cell");
  const before = await rows.count();
  await page.getByTestId("add-code").first().click();
  await expect(rows).toHaveCount(before + 1);
  const row = rows.first();
  await expect(row).toHaveAttribute("data-kind", "code");
  const field = row.getByTestId("source-es");
  await field.click();
  // The click gives the keys to the text area at once; Monaco takes its place and its focus once
  // loaded (here it may already be: it preloads in idle time).
  await expect(field.getByTestId("cell-monaco")).toBeVisible({ timeout: 60_000 });
  await expect(field.getByTestId("cell-draft")).toHaveCount(0, { timeout: 60_000 });
  await expect.poll(() => field.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await page.keyboard.type("21 * 2", { delay: KEY_DELAY_MS });
  await expect(field.getByTestId("cell-monaco")).toContainText("21 * 2");
  // Shift+Enter runs it, as in the notebook.
  await page.keyboard.press("Shift+Enter");
  const run = row.getByTestId("run-es");
  await expect(run).toHaveAttribute("data-status", "done", { timeout: 120_000 });
  await expect(run.getByTestId("cell-output")).toContainText("42");
  // Escape leaves the editor; the draft holds the text (saved), the output is not part of it.
  await page.keyboard.press("Escape");
  await expect(field).toHaveAttribute("data-editing", "false");
  await expect(field).toContainText("21 * 2");
  await expect(page.getByTestId("save-state")).toHaveAttribute("data-state", "saved", { timeout: 30_000 });
  // Undo (outside the field) takes the whole editing session back.
  await page.getByTestId("undo").click();
  await expect(field).not.toContainText("21 * 2");
});

test("a keystroke in author mode re-renders the row typed in: not the editor around the rows, not the other rows", async ({ page }) => {
  test.setTimeout(300_000);
  // The field's text area stays the editor (Monaco blocked), so each key is one input event.
  await page.route("**/vendor/monaco/vs/loader.js", () => undefined);
  await newUser(page, "Prof Filas", "instructor");
  await page.goto("/es/teach/lessons");
  await page.getByTestId("builtin-select").selectOption(BUILTIN);
  await page.getByTestId("copy-builtin").click();
  await expect(page).toHaveURL(/\/es\/teach\/lessons\/u-[a-z0-9]{10}$/, { timeout: 30_000 });
  await expect(page.getByTestId("author-editor")).toHaveAttribute("data-rows", "all");
  const rows = page.getByTestId("author-cell");
  const count = await rows.count();
  expect(count).toBeGreaterThan(4);
  // Every row hydrated (React's fiber on each row's element).
  await expect.poll(() => page.evaluate(() => [...document.querySelectorAll('[data-testid="author-cell"]')].every((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber$"))))).toBe(true);
  // Every field of the rows and of the lesson's meta belongs to a small form of its own (a cell in
  // one language; the meta), not to the page's ~500 controls in no form that Chrome's autofill
  // reads after each change of one of them (components/teach/field-form.tsx).
  const fieldForms = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="author-cells"], [data-testid="lesson-meta"]')].flatMap((root) =>
      [...root.querySelectorAll("input, textarea, select")].map((el) => {
        const form = (el as HTMLInputElement).form;
        const scope = el.closest('[data-testid^="cell-form-"], [data-testid="lesson-meta"]');
        return form && scope ? [...form.elements].every((other) => scope.contains(other)) : false;
      }),
    ),
  );
  expect(fieldForms.length).toBeGreaterThan(4);
  expect(fieldForms.filter((own) => !own)).toEqual([]);
  // A render of a component gives its elements new props objects, which React stores on the DOM
  // node when it commits them (the `__reactProps$…` key); a component that did not render leaves
  // its elements' props as they were. Probed after each key: the rows' <li> (one per row) and
  // the list's <ol> (the editor around the rows renders it).
  const probe = () =>
    page.evaluate(() => {
      const w = window as unknown as { __renderProbe?: Map<Element, unknown> };
      const propsOf = (el: Element) => (el as unknown as Record<string, unknown>)[Object.keys(el).find((k) => k.startsWith("__reactProps$"))!];
      const els = [document.querySelector('[data-testid="author-cells"]')!, ...document.querySelectorAll('[data-testid="author-cell"]')];
      const before = w.__renderProbe;
      const rendered = before ? els.filter((el) => before.get(el) !== propsOf(el)).map((el) => el.getAttribute("data-cell-id") ?? "editor") : [];
      w.__renderProbe = new Map(els.map((el) => [el, propsOf(el)]));
      return rendered;
    });
  const row = rows.nth(Math.floor(count / 2));
  const id = (await row.getAttribute("data-cell-id"))!;
  const en = row.getByTestId("cell-form-en");
  await expect(en).toHaveAttribute("data-outdated", "false");
  const field = row.getByTestId("source-es");
  await field.click();
  await expect(field.getByTestId("cell-draft")).toBeFocused();
  await page.keyboard.press("ControlOrMeta+End");
  // The first key starts the editing session: undo becomes available and the draft is "saving"
  // (the editor shows both), and the English cell is marked outdated (this row).
  await page.keyboard.type(" ", { delay: KEY_DELAY_MS });
  await expect(en).toHaveAttribute("data-outdated", "true");
  await expect(page.getByTestId("undo")).toBeEnabled();
  await probe();
  const text = "filas quietas y solas";
  const perKey: string[][] = [];
  for (const ch of text) {
    await page.keyboard.type(ch);
    perKey.push(await probe());
  }
  // The row typed in rendered on every key (the probe sees renders)...
  expect(perKey.filter((r) => r.includes(id)).length).toBe(text.length);
  // ...and no other row ever did.
  expect(perKey.flat().filter((r) => r !== id && r !== "editor")).toEqual([]);
  // The editor around the rows renders for the autosave's state only (a save starting, ending and
  // the next key making the draft "saving" again, if the machine stalled past the typing pause
  // autosave waits for), never once per key.
  expect(perKey.filter((r) => r.includes("editor")).length).toBeLessThanOrEqual(3);
  await expect(field.getByTestId("cell-draft")).toHaveValue(new RegExp(`${text}$`));
  // The text area is the only control of its form: Chrome's autofill reads, after each change, the
  // changed control's form — or every control in no form on the page (this editor's ~500 buttons
  // and fields), which cost more main-thread time a key than the rest of the key together.
  expect(await field.getByTestId("cell-draft").evaluate((ta: HTMLTextAreaElement) => ta.form?.elements.length ?? null)).toBe(1);
  // Everything else still follows: the draft is saved, the mark stays, undo takes the session back.
  await expect(page.getByTestId("save-state")).toHaveAttribute("data-state", "saved", { timeout: 30_000 });
  await page.keyboard.press("Escape");
  await expect(field).toHaveAttribute("data-editing", "false");
  await expect(field).toContainText(text);
  await expect(en).toHaveAttribute("data-outdated", "true");
  await page.getByTestId("undo").click();
  await expect(field).not.toContainText(text);
  await expect(en).toHaveAttribute("data-outdated", "false");
});

test("an instructor uploads a CSV dataset: a ragged row is refused naming it (nothing stored), a good file shows its types and preview", async ({ page }) => {
  await newUser(page, "Prof Datos", "instructor");
  await page.goto("/es/teach/lessons");
  await page.getByTestId("datasets-link").click();
  await expect(page.getByTestId("teach-datasets")).toBeVisible();
  await page.getByTestId("dataset-name").pressSequentially("ventas-kiosco", { delay: KEY_DELAY_MS });
  await page.getByTestId("dataset-file").setInputFiles({ name: "ventas.csv", mimeType: "text/csv", buffer: Buffer.from("dia,monto\n1,10.5\n2\n3,7\n") });
  await page.getByTestId("dataset-upload").click();
  await expect(page.getByTestId("dataset-error")).toHaveText("Fila 2: tiene 1 columnas y el encabezado 2.");
  await expect(page.getByTestId("dataset-list").locator("li")).toHaveCount(0);
  await page.getByTestId("dataset-file").setInputFiles({ name: "ventas.csv", mimeType: "text/csv", buffer: Buffer.from("dia,monto,abierto\n1,10.5,true\n2,3,false\n3,7,true\n") });
  await page.getByTestId("dataset-upload").click();
  const preview = page.getByTestId("dataset-preview");
  await expect(preview).toContainText("ventas-kiosco — 3 filas");
  await expect(preview).toContainText("monto (number)");
  await expect(preview).toContainText("abierto (boolean)");
  await expect(page.getByTestId("dataset-list")).toContainText("ventas-kiosco");
});
