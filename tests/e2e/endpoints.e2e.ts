// The endpoint pages (issue 13 points 4 and 5) against the running server: a student logs a real
// tfjs model (30→16→1) twice through the MLflow REST API, registers two versions, then on the
// endpoint page deploys v1, starts a canary to v2 at 20 % (typed), sends predictions to the TF
// Serving route and watches the live request count change without a reload, is refused a bad
// percent (translated, nothing changes), and rolls back (confirmed) with the audit entry shown.
import { expect, test, type Page } from "@playwright/test";
import { e2eDb, expectSignedInAs, signUp, uniqueEmail } from "./helpers";
import { randomRows, tinyModel } from "../unit/serving/tiny-model";

const base = process.env.E2E_BASE_URL!;
const MODEL = "fraude-e2e";

async function createToken(page: Page): Promise<string> {
  await page.goto("/es/settings/tokens");
  await page.getByTestId("create-token-form").locator('input[name="tokenName"]').fill("endpoints e2e");
  await page.getByTestId("create-token").click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^cdn_/);
  return token;
}

function eventCount(): number {
  const db = e2eDb();
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM "DeploymentEvent" WHERE "modelName" = ?`).get(MODEL) as { n: number }).n;
  } finally {
    db.close();
  }
}

async function typePercent(page: Page, text: string) {
  const input = page.getByTestId("percent-input");
  await input.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text, { delay: 40 });
}

test("a student deploys, runs a canary, watches live traffic and rolls back from the endpoint page", async ({ page }) => {
  await signUp(page, { name: "Rita Endpoint", email: uniqueEmail("endpoints"), password: "correct-horse-42", role: "student" });
  await expectSignedInAs(page, "Rita Endpoint");
  const token = await createToken(page);
  const auth = { Authorization: `Bearer ${token}` };
  async function api(path: string, body: unknown) {
    const res = await fetch(`${base}/api/2.0/mlflow/${path}`, { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const text = await res.text();
    expect(res.status, `${path}: ${text}`).toBe(200);
    return JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  // Two trained models logged as run artifacts, registered as versions 1 and 2.
  const { experiment_id: expId } = await api("experiments/create", { name: "Fraude endpoints" });
  for (const seed of [1, 11]) {
    const { bytes } = await tinyModel(seed);
    const run = (await api("runs/create", { experiment_id: expId, start_time: Date.now() })).run.info;
    for (const [file, data] of [["model.json", bytes.modelJson], ["weights.bin", new Uint8Array(bytes.weights)]] as const) {
      const put = await fetch(`${base}/api/2.0/mlflow-artifacts/artifacts/${expId}/${run.run_id}/artifacts/fraud/${file}`, {
        method: "PUT",
        headers: { ...auth, "Content-Type": "application/octet-stream" },
        body: data,
      });
      expect(put.status).toBe(200);
    }
    if (seed === 1) await api("registered-models/create", { name: MODEL });
    await api("model-versions/create", { name: MODEL, source: `runs:/${run.run_id}/fraud` });
  }

  // The models page lists it (nav link), and links to the endpoint page.
  await page.goto("/es");
  await page.getByTestId("nav-models").click();
  const row = page.getByTestId("endpoint-row").filter({ hasText: MODEL });
  await expect(row).toBeVisible();
  await expect(page.getByTestId("endpoint-url")).toContainText(`/v1/models/${MODEL}:predict`);
  await row.getByRole("link", { name: MODEL }).click();
  await expect(page.getByTestId("endpoint-name")).toHaveText(MODEL);
  const state = page.getByTestId("endpoint-state");
  await expect(state).toHaveAttribute("data-serving", "2"); // no deployment yet: the newest version

  // Deploy v1.
  await page.getByTestId("deploy-version").selectOption("1");
  await page.getByTestId("action-deploy").click();
  await expect(state).toHaveAttribute("data-serving", "1");
  await expect(state).toHaveAttribute("data-mode", "single");

  // Canary to v2 at 20 %, the percent typed.
  await page.getByTestId("candidate-version").selectOption("2");
  await typePercent(page, "20");
  await page.getByTestId("action-canary").click();
  await expect(state).toHaveAttribute("data-mode", "canary");
  await expect(page.getByTestId("state-canary")).toContainText("20 %");
  expect(eventCount()).toBe(2);

  // Bad percents: the translated message, nothing changes.
  for (const bad of ["150", "veinte"]) {
    await typePercent(page, bad);
    await page.getByTestId("action-set-percent").click();
    await expect(page.getByTestId("deployment-error")).toHaveText("El porcentaje tiene que ser un número entero entre 0 y 100.");
    await expect(state).toHaveAttribute("data-percent", "20");
  }
  expect(eventCount()).toBe(2);

  // Predictions through the TF Serving route; the live count changes without a reload.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  const sent = 12;
  for (const rows of Array.from({ length: sent }, (_, i) => randomRows(2, 30, i + 1))) {
    const res = await fetch(`${base}/v1/models/${MODEL}:predict`, { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify({ instances: rows }) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { predictions: number[][] }).predictions).toHaveLength(2);
  }
  await expect
    .poll(async () => (await page.getByTestId("monitor-requests").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-count"))))).reduce((a, b) => a + b, 0), { timeout: 15_000 })
    .toBe(sent);
  await expect(page.getByTestId("chart-requests").first().locator("svg")).toHaveAttribute("aria-label", /Pedidos por segundo/);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  // Roll back, confirmed: back to v1 alone, the audit entry on top.
  await page.getByTestId("action-rollback").click();
  await expect(page.getByTestId("confirm-box")).toContainText("¿Volver al despliegue anterior?");
  await page.getByTestId("confirm-yes").click();
  await expect(state).toHaveAttribute("data-mode", "single");
  await expect(state).toHaveAttribute("data-serving", "1");
  const top = page.getByTestId("audit-row").first();
  await expect(top).toHaveAttribute("data-action", "rollback");
  await expect(top).toContainText("vos");
  await expect(top).toContainText("Canario · v1 → v2 · 20 % · Privado → Una versión · v1 · Privado");
  expect(eventCount()).toBe(3);
});
