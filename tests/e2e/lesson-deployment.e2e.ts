// The deployment-monitoring lesson against the running server (issue 13 point 7), in Chromium: a
// signed-in student opens the lesson, runs the cells that train v1, build the drifting stream and
// train v2, then the "On the class server" cells top to bottom — register v1, deploy it, send the
// stream with its labels, v2 in shadow, v2 in canary, roll back. Every cell ends without an error;
// the endpoint page then shows both versions, the rollback back to the shadow on top of the audit
// log with the canary under it, and the traffic the cells sent. A signed-out visitor's server
// cell says to sign in. tests/integration/lesson-deployment.integration.test.ts checks the same
// cells' effects in detail on SQLite and PostgreSQL.
import { expect, test, type Page } from "@playwright/test";
import { e2eDb, expectSignedInAs, signUp, uniqueEmail } from "./helpers";

const CELL_TIMEOUT_MS = 4 * 60_000;
const NEEDED = ["train-v1", "stream", "train-v2"];
const SERVER_CELLS = ["server-v1", "server-stream", "server-shadow", "server-canary", "server-rollback"];

/** Runs one cell with its run button and waits until it settled; returns its status and error text. */
async function runCell(page: Page, id: string): Promise<{ status: string; error: string }> {
  const cell = page.locator(`[data-testid="cell"][data-cell-id="${id}"]`);
  const status = cell.getByTestId("cell-status");
  await cell.scrollIntoViewIfNeeded();
  await cell.getByTestId("cell-run").click();
  await expect(status).toHaveAttribute("data-status", /^(done|error)$/, { timeout: CELL_TIMEOUT_MS });
  const s = (await status.getAttribute("data-status")) ?? "";
  const errors = cell.locator('[data-output="error"]');
  const error = (await errors.count()) ? (await errors.allInnerTexts()).join(" | ").slice(0, 400) : "";
  return { status: s, error };
}

test("a signed-in student runs the lesson's deployment cells against the real server and sees v1/v2, the canary and the rollback", async ({ page }) => {
  test.setTimeout(15 * 60_000);
  const name = "Dana Despliegue";
  await signUp(page, { name, email: uniqueEmail("lesson-deploy"), password: "correct-horse-42", role: "student" });
  await expectSignedInAs(page, name);
  await page.goto("/es/lessons/deployment-monitoring");
  await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true", { timeout: 60_000 });

  for (const id of [...NEEDED, ...SERVER_CELLS]) {
    const r = await runCell(page, id);
    expect(r, id).toEqual({ status: "done", error: "" });
  }
  const cell = (id: string) => page.locator(`[data-testid="cell"][data-cell-id="${id}"]`);
  await expect(cell("server-v1")).toContainText("v1 quedó registrada como la versión 1 de fraud-detector");
  await expect(cell("server-stream")).toContainText("El servidor: tráfico y recall de v1");
  await expect(cell("server-shadow")).toContainText("Sombra: v2 ve todo el tráfico");
  await expect(cell("server-canary")).toContainText("Canary al 25%");
  await expect(cell("server-rollback")).toContainText("Ahora fraud-detector está en modo shadow y responde v1");

  // The audit log in the database: deploy, shadow, canary, rollback — the same four the page lists.
  const db = e2eDb();
  let actions: string[];
  try {
    actions = (db.prepare(`SELECT "action" FROM "DeploymentEvent" WHERE "modelName" = 'fraud-detector' AND "actorId" = (SELECT id FROM "user" WHERE name = ?) ORDER BY id`).all(name) as { action: string }[]).map((r) => r.action);
  } finally {
    db.close();
  }
  expect(actions).toEqual(["deploy", "shadow", "canary", "rollback"]);

  // The link the cells print opens the endpoint page: v2 in shadow behind v1 after the rollback.
  await cell("server-rollback").getByRole("link", { name: "/es/models/fraud-detector" }).click();
  await expect(page.getByTestId("endpoint-name")).toHaveText("fraud-detector");
  const state = page.getByTestId("endpoint-state");
  await expect(state).toHaveAttribute("data-mode", "shadow");
  await expect(state).toHaveAttribute("data-serving", "1");
  await expect(state).toHaveAttribute("data-candidate", "2");
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toHaveAttribute("data-action", "rollback");
  await expect(rows.nth(1)).toHaveAttribute("data-action", "canary");
  await expect(rows.nth(1)).toContainText("25 %");
  await expect(rows.nth(2)).toHaveAttribute("data-action", "shadow");
  // The traffic the cells sent is on the page's live monitor (its window is the last minute).
  await expect
    .poll(async () => (await page.getByTestId("monitor-requests").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-count"))))).reduce((a, b) => a + b, 0), { timeout: 20_000 })
    .toBeGreaterThan(0);
});

test("signed out, a server cell of the lesson says to sign in and does not fail (en)", async ({ page }) => {
  test.setTimeout(5 * 60_000);
  await page.goto("/en/lessons/deployment-monitoring");
  await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true", { timeout: 60_000 });
  const r = await runCell(page, "server-v1");
  expect(r).toEqual({ status: "done", error: "" });
  await expect(page.locator('[data-testid="cell"][data-cell-id="server-v1"]')).toContainText("Sign in to use the class server");
});
