// The gradebook end to end (issue 12, points 6 and 9): an instructor creates a class, a student
// joins and submits an exercise with the real Submit button (opened from the class, so the grade
// is filed there); a second student's submission is inserted in the e2e database (its value only
// has to differ). The instructor opens the gradebook, overrides the first student's grade with a
// comment typed at human speed, downloads the CSV and finds the row and the grade in it (BOM,
// Spanish header, `;` and decimal comma). The student sees their own grade and comment on their
// grades page and nothing of the other student; neither the gradebook nor its CSV opens for them.
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTestsSection } from "../../lib/grading/exercise-spec";
import { parseLessonMarkdown } from "../../lib/notebook/lesson-markdown";
import type { ExerciseCell } from "../../lib/notebook/types";
import { e2eDb, expectSignedInAs, signUp, uniqueEmail } from "./helpers";

const root = fileURLToPath(new URL("../..", import.meta.url));
const SLUG = "metrics-baselines";
const KEY_DELAY_MS = 40;
const password = "correct-horse-42";

/** The lesson's Spanish title, and its first graded function exercise with the title the gradebook gives it. */
function gradedExercise(): { lessonTitle: string; id: string; title: string } {
  const meta = JSON.parse(readFileSync(join(root, "content", "lessons", SLUG, "meta.json"), "utf8")) as { title: { es: string } };
  const doc = parseLessonMarkdown(readFileSync(join(root, "content", "lessons", SLUG, "es.md"), "utf8"));
  const ex = doc.cells.find((c): c is ExerciseCell => c.kind === "exercise" && c.tests !== undefined && parseTestsSection(c.tests).kind === "function");
  if (!ex) throw new Error(`${SLUG} has no graded function exercise`);
  const prose = doc.cells.find((c) => c.id === `md-${ex.id}`);
  const heading = prose?.source.split("\n").filter((l) => /^#{1,6}\s+\S/.test(l)).pop();
  return { lessonTitle: meta.title.es, id: ex.id, title: heading ? heading.replace(/^#{1,6}\s+/, "").trim() : ex.id };
}

/** RFC 4180 rows (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) row.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field), rows.push(row), (row = []), (field = ""), i++;
    } else field += c;
  }
  if (field !== "" || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

async function newUser(page: Page, name: string, role: "student" | "instructor") {
  const email = uniqueEmail(role);
  await signUp(page, { name, email, password, role });
  await expectSignedInAs(page, name);
  return email;
}

test("an instructor overrides a grade with a comment, exports the CSV and finds it; the student sees only their own grade", async ({ browser }) => {
  test.setTimeout(240_000);
  const exercise = gradedExercise();
  const itemKey = `exercise:${SLUG}/${exercise.id}`;

  // The instructor creates the class.
  const teacher = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await newUser(teacher, "Prof Gradebook", "instructor");
  await teacher.goto("/es/classes");
  const form = teacher.getByTestId("create-class-form");
  await form.locator('input[name="className"]').pressSequentially("Notas; martes", { delay: KEY_DELAY_MS });
  await form.locator('button[type="submit"]').click();
  const item = teacher.getByTestId("class-item").filter({ hasText: "Notas; martes" });
  const code = (await item.getByTestId("class-code").textContent())!.trim();
  await item.getByRole("link", { name: "Notas; martes" }).click();
  await expect(teacher).toHaveURL(/\/es\/classes\/[\w-]+$/);
  const classId = teacher.url().split("/").pop()!;

  // Two students join.
  const sofia = await (await browser.newContext()).newPage();
  await newUser(sofia, "Sofía Paz", "student");
  const brunoPage = await (await browser.newContext()).newPage();
  const brunoEmail = await newUser(brunoPage, "Bruno Díaz", "student");
  for (const p of [sofia, brunoPage]) {
    await p.goto("/es/classes");
    const join = p.getByTestId("join-class-form");
    await join.locator('input[name="joinCode"]').pressSequentially(code, { delay: KEY_DELAY_MS });
    await join.locator('button[type="submit"]').click();
    await expect(p.getByTestId("join-success")).toContainText("Notas; martes");
  }
  await brunoPage.context().close();

  // Sofía submits the exercise as it stands (the starter) with the Submit button, from the class's lesson link.
  await sofia.route("**/vendor/monaco/vs/loader.js", () => undefined);
  await sofia.goto(`/es/classes/${classId}`);
  await sofia.getByTestId("class-lessons").locator(`a[href*="/lessons/${SLUG}?class="]`).click();
  await expect(sofia).toHaveURL(new RegExp(`/es/lessons/${SLUG}\\?class=`));
  await expect(sofia.getByTestId("notebook")).toHaveAttribute("data-loaded", "true", { timeout: 60_000 });
  const cell = sofia.locator(`[data-testid="cell"][data-cell-id="${exercise.id}"]`);
  await cell.getByTestId("exercise-submit").click();
  const grade = cell.getByTestId("exercise-grade");
  await expect(grade).toHaveAttribute("data-attempt", "1", { timeout: 60_000 });
  const computed = Number(await grade.getAttribute("data-score"));
  expect(computed).toBeLessThan(1);

  // Bruno's submission goes straight into the e2e database (a distinct grade to look for).
  const db = e2eDb();
  try {
    const sub = db.prepare("SELECT createdAt FROM Submission WHERE exerciseId = ? AND classId = ?").get(exercise.id, classId) as { createdAt: unknown } | undefined;
    expect(sub, "Sofía's submission is filed under the class").toBeTruthy();
    const bruno = db.prepare('SELECT id FROM "user" WHERE email = ?').get(brunoEmail) as { id: string };
    db.prepare(
      `INSERT INTO Submission (id, userId, classId, lessonSlug, exerciseId, attempt, kind, code, status, passed, total, rawScore, score, cases, message, hintsUsed, revealed, late, durationMs, createdAt)
       VALUES (?, ?, ?, ?, ?, 1, 'function', 'function secretBruno() {}', 'graded', 3, 8, 0.375, 0.375, '[]', '', 1, 0, 0, 5, ?)`,
    ).run(`e2e_${Date.now()}`, bruno.id, classId, SLUG, exercise.id, sub!.createdAt);
  } finally {
    db.close();
  }

  // The instructor opens the gradebook from the class page.
  await teacher.reload();
  await teacher.getByTestId("gradebook-link").click();
  await expect(teacher.getByTestId("gradebook-title")).toHaveText("Libro de calificaciones");
  const sofiaRow = teacher.getByTestId("gradebook-row").filter({ hasText: "Sofía Paz" });
  const brunoRow = teacher.getByTestId("gradebook-row").filter({ hasText: "Bruno Díaz" });
  await expect(brunoRow.locator(`[data-testid="grade-cell"][data-item="${itemKey}"]`)).toContainText(/37,5\s?%/);
  const sofiaCell = sofiaRow.locator(`[data-testid="grade-cell"][data-item="${itemKey}"]`);
  await expect(sofiaCell).toContainText("1 intento");

  // Filters: a name search narrows the rows.
  await teacher.getByTestId("filter-student").pressSequentially("sofia", { delay: KEY_DELAY_MS });
  await expect(teacher.getByTestId("gradebook-row")).toHaveCount(1);
  await teacher.getByTestId("filter-student").fill("");
  await expect(teacher.getByTestId("gradebook-row")).toHaveCount(2);

  // Override Sofía's grade: a missing comment is refused with a clear message, then the real one.
  await sofiaCell.click();
  const dialog = teacher.getByTestId("override-dialog");
  await expect(dialog).toBeVisible();
  await dialog.locator('input[name="score"]').pressSequentially("85,5", { delay: KEY_DELAY_MS });
  await dialog.getByTestId("override-save").click();
  await expect(dialog.getByTestId("override-error")).toHaveText("Escribí un comentario que explique la corrección.");
  await dialog.locator('textarea[name="comment"]').pressSequentially("Revisé la entrega en clase; el caso borde estaba bien.", { delay: KEY_DELAY_MS });
  await dialog.getByTestId("override-save").click();
  await expect(dialog).toHaveCount(0);
  await expect(sofiaCell.getByTestId("grade-score")).toHaveText(/85,5\s?%/);
  await expect(sofiaCell.getByTestId("grade-overridden")).toBeVisible(); // the computed grade is still shown beside it
  await sofiaCell.click();
  await expect(teacher.getByTestId("override-history")).toContainText("Revisé la entrega en clase");
  await teacher.keyboard.press("Escape");

  // Export the CSV and find the row and the grade.
  const [download] = await Promise.all([teacher.waitForEvent("download"), teacher.getByTestId("gradebook-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^calificaciones-Notas.*\.csv$/);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parseCsv(bytes.subarray(3).toString("utf8"), ";");
  const header = rows[0]!;
  expect(header.slice(0, 2)).toEqual(["Estudiante", "Correo"]);
  expect(header.at(-2)).toBe("Total (%)");
  const col = header.indexOf(`${exercise.lessonTitle} · ${exercise.title} (%)`);
  expect(col, `a column for ${exercise.title}`).toBeGreaterThan(1);
  const sofiaCsv = rows.find((r) => r[0] === "Sofía Paz")!;
  expect(sofiaCsv[col]).toBe("85,5");
  expect(rows.find((r) => r[0] === "Bruno Díaz")![col]).toBe("37,5");
  expect(rows.filter((r) => r.length > 1)).toHaveLength(3);

  // The student's grades page: her grade and the comment, nothing of Bruno's.
  await sofia.goto(`/es/classes/${classId}`);
  await sofia.getByTestId("my-grades-link").click();
  await expect(sofia).toHaveURL(/\/es\/grades$/);
  const mine = sofia.locator(`[data-testid="my-grade-row"][data-item="${itemKey}"]`);
  await expect(mine.getByTestId("my-grade-score")).toContainText(/85,5\s?%/);
  await expect(mine.getByTestId("my-grade-override")).toHaveText("Revisé la entrega en clase; el caso borde estaba bien.");
  const text = await sofia.locator("main").textContent();
  expect(text).not.toContain("Bruno");
  expect(text).not.toMatch(/37,5/);

  // Neither the gradebook nor its CSV opens for a student.
  await sofia.goto(`/es/classes/${classId}/gradebook`);
  await expect(sofia.locator("main").getByRole("alert")).toHaveText("No tenés permiso para hacer eso.");
  await expect(sofia.getByTestId("gradebook-table")).toHaveCount(0);
  const csv = await sofia.request.get(`/api/classes/${classId}/gradebook.csv`);
  expect(csv.status()).toBe(404);
  expect(await csv.text()).not.toContain("Sofía");
});
