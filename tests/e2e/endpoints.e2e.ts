// The endpoint pages (issue 13 points 4 and 5) against the running server: a student logs a real
// tfjs model (30→16→1) twice through the MLflow REST API, registers two versions, then on the
// endpoint page deploys v1, starts a canary to v2 at 20 % (typed), sends predictions to the TF
// Serving route and watches the live request count change without a reload, is refused a bad
// percent (translated, nothing changes), and rolls back (confirmed) with the audit entry shown.
// A third student's drifting traffic raises drift alerts that reach her notifications: the header's
// bell counts them, opening one leads to the endpoint page and marks it read, "mark all" the rest.
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

/** Two trained models (seeds 1 and 11) logged as run artifacts through the MLflow REST API, registered as versions 1 and 2 of `name`. */
async function registerTwoVersions(token: string, name: string) {
  const auth = { Authorization: `Bearer ${token}` };
  async function api(path: string, body: unknown) {
    const res = await fetch(`${base}/api/2.0/mlflow/${path}`, { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const text = await res.text();
    expect(res.status, `${path}: ${text}`).toBe(200);
    return JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
  const { experiment_id: expId } = await api("experiments/create", { name: `Experimento ${name}` });
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
    if (seed === 1) await api("registered-models/create", { name });
    await api("model-versions/create", { name, source: `runs:/${run.run_id}/fraud` });
  }
}

async function predict(token: string, name: string, rows: number[][]) {
  const res = await fetch(`${base}/v1/models/${encodeURIComponent(name)}:predict`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ instances: rows }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(((await res.json()) as { predictions: number[][] }).predictions).toHaveLength(rows.length);
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
  await registerTwoVersions(token, MODEL);

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
  for (let i = 0; i < sent; i++) await predict(token, MODEL, randomRows(2, 30, i + 1));
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

test("an instructor sees every student's endpoints with their health, and a student's endpoint page read-only (en)", async ({ browser }) => {
  const KEY_DELAY_MS = 40;
  const teacher = await (await browser.newContext()).newPage();
  await signUp(teacher, { name: "Prof Endpoints", email: uniqueEmail("endpoints-prof"), password: "correct-horse-42", role: "instructor", locale: "en" });
  await expectSignedInAs(teacher, "Prof Endpoints");
  await teacher.goto("/en/classes");
  const form = teacher.getByTestId("create-class-form");
  await form.locator('input[name="className"]').pressSequentially("Serving class", { delay: KEY_DELAY_MS });
  await form.locator('button[type="submit"]').click();
  const item = teacher.getByTestId("class-item").filter({ hasText: "Serving class" });
  const code = (await item.getByTestId("class-code").textContent())!.trim();

  const student = await (await browser.newContext()).newPage();
  await signUp(student, { name: "Leo Modelo", email: uniqueEmail("endpoints-student"), password: "correct-horse-42", role: "student" });
  await expectSignedInAs(student, "Leo Modelo");
  await student.goto("/es/classes");
  const join = student.getByTestId("join-class-form");
  await join.locator('input[name="joinCode"]').pressSequentially(code, { delay: KEY_DELAY_MS });
  await join.locator('button[type="submit"]').click();
  await expect(student.getByTestId("join-success")).toContainText("Serving class");
  const token = await createToken(student);
  const name = "detector-clase";
  await registerTwoVersions(token, name);
  for (let i = 0; i < 3; i++) await predict(token, name, randomRows(1, 30, 100 + i));

  await item.getByRole("link", { name: "Serving class" }).click();
  await teacher.getByTestId("class-endpoints-link").click();
  await expect(teacher.getByRole("heading", { name: "Class endpoints" })).toBeVisible();
  await expect(teacher.getByTestId("class-endpoints-student")).toHaveText(["Leo Modelo"]);
  const row = teacher.getByTestId("endpoint-row");
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute("data-name", new RegExp(`/${name}$`));
  await expect(row).toContainText("Single version");
  await expect(row.getByTestId("endpoint-health")).not.toHaveText("no traffic");

  await row.getByRole("link").click();
  await expect(teacher.getByTestId("endpoint-name")).toHaveText(new RegExp(`/${name}$`));
  await expect(teacher.getByText("Only the model's owner can change its deployment.")).toBeVisible();
  await expect(teacher.getByTestId("deployment-controls")).toHaveCount(0);
  await expect(teacher.getByTestId("audit-none")).toHaveText("No changes yet.");
  await expect
    .poll(async () => (await teacher.getByTestId("monitor-requests").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-count"))))).reduce((a, b) => a + b, 0))
    .toBe(3);
  await expect(teacher.getByTestId("monitor-requests").first()).toContainText("requests in the window");
});

test("a drift alert reaches the owner's notifications: the bell counts it, opening it leads to the endpoint and marks it read (es)", async ({ page }) => {
  await signUp(page, { name: "Nora Deriva", email: uniqueEmail("endpoints-drift"), password: "correct-horse-42", role: "student" });
  await expectSignedInAs(page, "Nora Deriva");
  const bell = page.getByTestId("notifications-bell");
  await expect(bell).toHaveAttribute("data-unread", "0");
  await bell.click();
  await expect(page.getByTestId("notifications-empty")).toHaveText("No tenés notificaciones.");
  await bell.click();

  const token = await createToken(page);
  const name = "detector-deriva";
  await registerTwoVersions(token, name);
  // The training reference of v1 (30 features, as the rows the tests send), stored through tRPC with the session.
  const reference = { features: Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, sample: randomRows(1000, 30, 5).map((r) => r[i]) })) };
  const stored = await page.evaluate(
    async (input) => {
      const res = await fetch("/api/trpc/monitoring.setTrainingReference", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ json: input }) });
      return res.status;
    },
    { model: name, version: 1, reference },
  );
  expect(stored).toBe(200);
  // 300 rows whose first three features moved by +3: drift on f0, f1, f2.
  for (let k = 0; k < 6; k++) {
    const rows = randomRows(50, 30, 200 + k).map((r) => r.map((v, i) => (i < 3 ? v + 3 : v)));
    const res = await fetch(`${base}/v1/models/${name}/versions/1:predict`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ instances: rows }),
    });
    expect(res.status).toBe(200);
  }
  // The endpoint page reads the stats (drift evaluated): the alert is raised once per feature and notified.
  await page.goto(`/es/models/${name}`);
  await expect(page.getByTestId("endpoint-name")).toHaveText(name);
  await expect.poll(async () => Number(await bell.getAttribute("data-unread")), { timeout: 40_000, intervals: [1000] }).toBe(3);
  await expect(page.getByTestId("notifications-unread")).toHaveText("3");
  await bell.click();
  const items = page.getByTestId("notification");
  await expect(items).toHaveCount(3);
  await expect(items.first()).toContainText(`Deriva en ${name} v1: la entrada «f`);
  await expect(items.first()).toHaveAttribute("data-read", "false");
  // Opening one goes to the endpoint page and marks it read.
  await page.goto("/es/models");
  await bell.click();
  await items.first().getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/es/models/${name}$`));
  await expect(bell).toHaveAttribute("data-unread", "2");
  await bell.click();
  await page.getByTestId("notifications-mark-all").click();
  await expect(bell).toHaveAttribute("data-unread", "0");
  await expect(page.locator('[data-testid="notification"][data-read="true"]')).toHaveCount(3);
  // In the database: three drift notifications, all read.
  const db = e2eDb();
  try {
    const rows = db.prepare(`SELECT "kind", "readAt" FROM "Notification" WHERE "userId" = (SELECT id FROM "user" WHERE name = ?)`).all("Nora Deriva") as { kind: string; readAt: unknown }[];
    expect(rows.map((r) => r.kind)).toEqual(["driftAlert", "driftAlert", "driftAlert"]);
    expect(rows.every((r) => r.readAt !== null)).toBe(true);
  } finally {
    db.close();
  }
});
