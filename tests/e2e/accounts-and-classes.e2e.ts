// An instructor creates a class, a student joins it; bad input shows a clear message and
// changes nothing.
import { expect, test } from "@playwright/test";
import { e2eDb, expectSignedInAs, signIn, signUp, uniqueEmail } from "./helpers";

const password = "correct-horse-42";

test("instructor creates a class; student joins with the code and sees it", async ({ browser }) => {
  const teacher = await browser.newPage();
  const teacherEmail = uniqueEmail("teacher");
  await signUp(teacher, { name: "Prof Ramos", email: teacherEmail, password, role: "instructor" });
  await expectSignedInAs(teacher, "Prof Ramos");
  await teacher.goto("/es/classes");
  await teacher.getByTestId("create-class-form").locator('input[name="className"]').fill("MLOps Martes");
  await teacher.getByTestId("create-class-form").locator('button[type="submit"]').click();
  const item = teacher.getByTestId("class-item").filter({ hasText: "MLOps Martes" });
  await expect(item).toBeVisible();
  const code = (await item.getByTestId("class-code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{8}$/);

  const student = await (await browser.newContext()).newPage();
  await signUp(student, { name: "Sofía Paz", email: uniqueEmail("student"), password, role: "student" });
  await expectSignedInAs(student, "Sofía Paz");
  await student.goto("/es/classes");
  await student.getByTestId("join-class-form").locator('input[name="joinCode"]').fill(code.toLowerCase());
  await student.getByTestId("join-class-form").locator('button[type="submit"]').click();
  await expect(student.getByTestId("join-success")).toContainText("MLOps Martes");
  await expect(student.getByTestId("class-item").filter({ hasText: "MLOps Martes" })).toBeVisible();

  // The instructor sees the student in the roster.
  await item.getByRole("link", { name: "MLOps Martes" }).click();
  await expect(teacher.getByTestId("roster-entry").filter({ hasText: "Sofía Paz" })).toBeVisible();

  // The student opens a lesson from the class page: the lesson says its runs go to this class.
  await student.getByTestId("class-item").filter({ hasText: "MLOps Martes" }).getByRole("link", { name: "MLOps Martes" }).click();
  await student.getByTestId("class-lessons").getByRole("link").first().click();
  await expect(student).toHaveURL(/\/es\/lessons\/[\w-]+\?class=/);
  await expect(student.getByTestId("lesson-class")).toContainText("MLOps Martes");
});

test("a wrong password shows a clear message and does not sign in", async ({ page }) => {
  const email = uniqueEmail("wrongpw");
  await signUp(page, { name: "Mara", email, password, role: "student" });
  await expectSignedInAs(page, "Mara");
  await page.getByTestId("sign-out").click();
  await expect(page.getByTestId("current-user")).toHaveCount(0);
  await signIn(page, email, "not-the-password");
  await expect(page.getByTestId("auth-error")).toHaveText("El correo o la contraseña no son correctos.");
  await expect(page.getByTestId("current-user")).toHaveCount(0);
});

test("a duplicate email shows a clear message and creates nothing", async ({ page, browser }) => {
  const email = uniqueEmail("dup");
  await signUp(page, { name: "Primera", email, password, role: "student" });
  await expectSignedInAs(page, "Primera");
  const other = await (await browser.newContext({ locale: "en-US" })).newPage();
  await signUp(other, { name: "Second", email, password: "another-pass-99", role: "instructor", locale: "en" });
  await expect(other.getByTestId("auth-error")).toHaveText("An account with that email already exists. Sign in with it.");
  const db = e2eDb();
  const rows = db.prepare('SELECT name, role FROM "user" WHERE email = ?').all(email);
  db.close();
  expect(rows).toEqual([{ name: "Primera", role: "student" }]);
});

test("a bad join code shows a clear message and joins nothing", async ({ page }) => {
  await signUp(page, { name: "Tomás", email: uniqueEmail("badcode"), password, role: "student" });
  await expectSignedInAs(page, "Tomás");
  await page.goto("/es/classes");
  const form = page.getByTestId("join-class-form");
  await form.locator('input[name="joinCode"]').fill("ZZZZ9999");
  await form.locator('button[type="submit"]').click();
  await expect(page.getByTestId("join-error")).toHaveText("Ese código de clase no existe. Revisalo con tu docente.");
  await expect(page.getByTestId("class-item")).toHaveCount(0);
});

test("an expired session shows a clear message and changes nothing", async ({ page }) => {
  const email = uniqueEmail("expired");
  await signUp(page, { name: "Prof Vera", email, password, role: "instructor" });
  await expectSignedInAs(page, "Prof Vera");
  await page.goto("/es/classes");
  // The server-side session expires while the page is open.
  const db = e2eDb();
  db.prepare(`UPDATE session SET expiresAt = ? WHERE userId = (SELECT id FROM "user" WHERE email = ?)`).run(
    new Date(Date.now() - 60_000).toISOString(),
    email,
  );
  const form = page.getByTestId("create-class-form");
  await form.locator('input[name="className"]').fill("No debería existir");
  await form.locator('button[type="submit"]').click();
  await expect(page).toHaveURL(/\/es\/sign-in\?expired=1/);
  await expect(page.getByTestId("session-expired")).toContainText("Tu sesión venció");
  const count = db.prepare(`SELECT count(*) AS n FROM "Class" WHERE name = ?`).get("No debería existir") as { n: number };
  db.close();
  expect(count.n).toBe(0);
});

test("/ picks the language from Accept-Language and the switcher changes it", async ({ browser }) => {
  const en = await (await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } })).newPage();
  await en.goto("/");
  await expect(en).toHaveURL(/\/en$/);
  await expect(en.locator("html")).toHaveAttribute("lang", "en");
  await en.getByTestId("locale-switcher").click();
  await expect(en).toHaveURL(/\/es$/);
  await expect(en.locator("html")).toHaveAttribute("lang", "es");
  const es = await (await browser.newContext({ extraHTTPHeaders: { "Accept-Language": "es-AR,es;q=0.9" } })).newPage();
  await es.goto("/");
  await expect(es).toHaveURL(/\/es$/);
});

test("security headers are set, notebook pages are cross-origin isolated", async ({ request }) => {
  const home = await request.get("/es");
  const csp = home.headers()["content-security-policy"];
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("'wasm-unsafe-eval'");
  expect(csp).toContain("worker-src 'self' blob:");
  expect(home.headers()["x-content-type-options"]).toBe("nosniff");
  expect(home.headers()["cross-origin-embedder-policy"]).toBeUndefined();
  const notebook = await request.get("/es/notebooks/new");
  expect(notebook.headers()["cross-origin-opener-policy"]).toBe("same-origin");
  expect(notebook.headers()["cross-origin-embedder-policy"]).toBe("require-corp");
});
