import Database from "better-sqlite3";
import { expect, type Page } from "@playwright/test";

/** Read/write access to the e2e server's SQLite file, to check that bad input changed nothing. */
export function e2eDb() {
  return new Database(process.env.E2E_DATABASE_FILE!, { fileMustExist: true });
}

let seq = 0;
export function uniqueEmail(prefix: string) {
  seq += 1;
  return `${prefix}.${Date.now()}.${seq}@example.test`;
}

export async function signUp(page: Page, opts: { name: string; email: string; password: string; role: "student" | "instructor"; locale?: "es" | "en" }) {
  await page.goto(`/${opts.locale ?? "es"}/sign-up`);
  const form = page.getByTestId("sign-up-form");
  await form.locator('input[name="name"]').fill(opts.name);
  await form.locator('input[name="email"]').fill(opts.email);
  await form.locator('input[name="password"]').fill(opts.password);
  await form.locator(`input[name="role"][value="${opts.role}"]`).check();
  await form.locator('button[type="submit"]').click();
}

export async function signIn(page: Page, email: string, password: string, locale: "es" | "en" = "es") {
  await page.goto(`/${locale}/sign-in`);
  const form = page.getByTestId("sign-in-form");
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]').click();
}

export async function expectSignedInAs(page: Page, name: string) {
  await expect(page.getByTestId("current-user")).toContainText(name);
}
