// The tracking UI end to end: a token created in Settings seeds runs through the MLflow REST
// API; the runs table lists and filters them, a bad filter explains itself, the run page
// charts its metric, two runs compare; guests and other students see nothing they shouldn't.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { e2eDb, expectSignedInAs, signUp, uniqueEmail } from "./helpers";

const password = "correct-horse-42";
const base = process.env.E2E_BASE_URL!;

async function mlflow(token: string, path: string, body: unknown) {
  const res = await fetch(`${base}/api/2.0/mlflow/${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, `${path}: ${JSON.stringify(json)}`).toBe(200);
  return json;
}

/** One finished run: lr as a param, a val_loss curve over five steps, provenance on create. */
async function seedRun(token: string, name: string, lr: string, losses: number[]) {
  const start = Date.now() - 60_000;
  const created = (await mlflow(token, "runs/create", {
    run_name: name,
    start_time: start,
    cuaderno: { backend: "webgl", device: "e2e-gpu", dataset_name: "iris", seed: 7 },
  })) as { run: { info: { run_id: string; experiment_id: string } } };
  const runId = created.run.info.run_id;
  await mlflow(token, "runs/log-batch", {
    run_id: runId,
    params: [{ key: "lr", value: lr }, { key: "optimizer", value: "adam" }],
    metrics: losses.map((value, step) => ({ key: "val_loss", value, step, timestamp: start + step * 1000 })),
  });
  await mlflow(token, "runs/update", { run_id: runId, status: "FINISHED", end_time: start + 42_000 });
  return { runId, experimentId: created.run.info.experiment_id };
}

async function createToken(page: Page, name: string): Promise<string> {
  await page.goto("/es/settings/tokens");
  await page.getByTestId("create-token-form").locator('input[name="tokenName"]').fill(name);
  await page.getByTestId("create-token").click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^cdn_/);
  await expect(page.getByTestId("token-row").filter({ hasText: name })).toBeVisible();
  return token;
}

test("runs seeded with a UI token show up, filter, chart and compare", async ({ page, browser }) => {
  await signUp(page, { name: "Lucía Tracking", email: uniqueEmail("tracker"), password, role: "student" });
  await expectSignedInAs(page, "Lucía Tracking");
  const token = await createToken(page, "e2e laptop");

  const a = await seedRun(token, "run-lr-001", "0.01", [0.9, 0.6, 0.4, 0.3, 0.25]);
  const b = await seedRun(token, "run-lr-01", "0.1", [0.8, 0.7, 0.65, 0.6, 0.55]);
  // Runs created without an experiment go to the caller's Default, MLflow's experiment "0".
  expect(a.experimentId).toBe("0");
  expect(b.experimentId).toBe("0");
  // An artifact uploaded through MLflow's proxy, as mlflow.log_artifact does (stored on disk, or in
  // S3 when the server runs with ARTIFACT_S3_* set).
  const weights = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7 + (i >> 8)) % 256));
  const put = await fetch(`${base}/api/2.0/mlflow-artifacts/artifacts/${a.runId}/model/weights%20v1.bin`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/octet-stream" },
    body: weights,
  });
  expect(put.status, await put.text()).toBe(200);

  // The experiment appears in the list (header nav) with both runs.
  await page.getByTestId("nav-experiments").click();
  const row = page.getByTestId("experiment-row").filter({ hasText: "Default" });
  await expect(row.getByTestId("experiment-run-count")).toHaveText("2");
  await page.screenshot({ path: "test-results/tracking-experiments.png", fullPage: true });
  await row.getByRole("link", { name: "Default" }).click();
  await expect(page).toHaveURL(/\/es\/experiments\/\d+$/);
  const experimentId = new URL(page.url()).pathname.split("/").pop()!; // the app's id of that Default
  const runs = page.getByTestId("run-row");
  await expect(runs).toHaveCount(2);
  await expect(page.getByTestId("runs-table")).toContainText("webgl · e2e-gpu");
  await expect(runs.filter({ hasText: "run-lr-001" }).getByTestId("cell-metrics.val_loss")).toHaveText("0.25");
  await expect(runs.filter({ hasText: "run-lr-01" }).getByTestId("cell-params.lr")).toHaveText("0.1");

  // Sorting by the metric column puts the lower loss first, then the higher one.
  await page.getByTestId("sort-metrics.val_loss").click();
  await expect(runs.first()).toContainText("run-lr-01");
  await page.getByTestId("sort-metrics.val_loss").click();
  await expect(runs.first()).toContainText("run-lr-001");

  // An MLflow filter expression narrows the table to one run.
  await page.getByTestId("runs-filter").fill("metrics.val_loss < 0.3 and params.lr = '0.01'");
  await page.getByTestId("runs-search").click();
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toContainText("run-lr-001");

  // A bad filter gets a translated explanation; the runs are untouched.
  await page.getByTestId("runs-filter").fill("metrics.val_loss <");
  await page.getByTestId("runs-search").click();
  await expect(page.getByTestId("filter-error")).toContainText("La expresión de búsqueda no es válida");
  await expect(page.getByTestId("filter-error-message")).toHaveText("Falta un valor después de «<».");
  await page.screenshot({ path: "test-results/tracking-filter-error.png", fullPage: true });
  await page.getByTestId("runs-filter").fill("params.lr = 0.01");
  await page.getByTestId("runs-search").click();
  await expect(page.getByTestId("filter-error-message")).toHaveText(
    "El valor de «lr» tiene que ser un texto entre comillas simples, por ejemplo '0.01' (se encontró 0.01).",
  );
  const db = e2eDb();
  const count = db.prepare('SELECT COUNT(*) AS n FROM "Run" WHERE "experimentId" = ?').get(Number(experimentId)) as { n: number };
  db.close();
  expect(count.n).toBe(2);

  // Clearing the filter brings both back; open a run and see its metric chart.
  await page.getByRole("button", { name: "Limpiar" }).click();
  await expect(runs).toHaveCount(2);
  await runs.filter({ hasText: "run-lr-001" }).getByTestId("run-link").click();
  await expect(page.getByTestId("run-name")).toHaveText("run-lr-001");
  await expect(page.getByTestId("run-params")).toContainText("0.01");
  await expect(page.getByTestId("run-info")).toContainText("iris");
  const chart = page.getByTestId("metric-chart-val_loss");
  await expect(chart).toHaveAttribute("data-ready", "true");
  // Five points on the line, one per logged step.
  await expect(chart.locator("svg path.mark-line, svg g.mark-line path")).not.toHaveCount(0);
  await expect(chart.locator("svg g.mark-symbol path")).toHaveCount(5);
  await expect(page.getByTestId("share-unavailable")).toBeVisible();
  // The artifact downloads from the run page with the session cookie, byte for byte.
  const artifact = page.getByTestId("artifact-link");
  await expect(artifact).toHaveText("model/weights v1.bin");
  const downloading = page.waitForEvent("download");
  await artifact.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("weights v1.bin");
  expect(readFileSync((await download.path())!).equals(weights)).toBe(true);
  await page.screenshot({ path: "test-results/tracking-run.png", fullPage: true });

  // Back to the table: select both and compare.
  await page.goBack();
  await expect(runs).toHaveCount(2);
  await expect(page.getByTestId("compare-button")).toBeDisabled();
  await runs.nth(0).getByTestId("run-select").check();
  await runs.nth(1).getByTestId("run-select").check();
  await page.screenshot({ path: "test-results/tracking-runs.png", fullPage: true });
  await page.getByTestId("compare-button").click();
  await expect(page).toHaveURL(/\/es\/runs\/compare\?ids=[0-9a-f]{32},[0-9a-f]{32}$/);
  await expect(page.getByTestId("compare-run-header")).toHaveCount(2);
  await expect(page.getByTestId("param-diff-row").filter({ hasText: "lr" })).toHaveAttribute("data-differs", "true");
  await expect(page.getByTestId("param-diff-row").filter({ hasText: "optimizer" })).toHaveAttribute("data-differs", "false");
  const overlaid = page.getByTestId("compare-chart-val_loss");
  await expect(overlaid).toHaveAttribute("data-ready", "true");
  await expect(overlaid.locator("svg g.mark-line path")).toHaveCount(2);
  await expect(page.getByTestId("parallel-chart")).toHaveAttribute("data-ready", "true");
  await page.screenshot({ path: "test-results/tracking-compare.png", fullPage: true });

  // Bad compare links explain themselves.
  await page.goto("/es/runs/compare?ids=not-a-run");
  await expect(page.getByTestId("compare-error")).toHaveText("El enlace tiene ids de ejecución no válidos.");

  // Another student can't open this run, nor see its experiment.
  const other = await (await browser.newContext({ locale: "en-US" })).newPage();
  await signUp(other, { name: "Other Student", email: uniqueEmail("other"), password, role: "student", locale: "en" });
  await expectSignedInAs(other, "Other Student");
  await other.goto(`/en/runs/${a.runId}`);
  await expect(other.getByTestId("run-error")).toHaveText("It doesn't exist or you don't have access.");
  await other.goto(`/en/experiments/${experimentId}`);
  await expect(other.getByTestId("experiment-missing")).toBeVisible();
  await expect(other.getByTestId("run-row")).toHaveCount(0);

  // Guests are sent to sign in.
  const guest = await (await browser.newContext()).newPage();
  await guest.goto(`/es/runs/${a.runId}`);
  await expect(guest).toHaveURL(/\/es\/sign-in\?next=/);
  await guest.goto("/es/experiments");
  await expect(guest).toHaveURL(/\/es\/sign-in\?next=%2Fes%2Fexperiments|\/es\/sign-in\?next=\/es\/experiments/);
});

test("a revoked token stops working and the list says so", async ({ page }) => {
  await signUp(page, { name: "Revoker", email: uniqueEmail("revoke"), password, role: "student" });
  await expectSignedInAs(page, "Revoker");
  const token = await createToken(page, "to revoke");
  await mlflow(token, "runs/create", { run_name: "before-revoke" });
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("token-row").filter({ hasText: "to revoke" }).getByTestId("revoke-token").click();
  await expect(page.getByTestId("token-row").filter({ hasText: "to revoke" })).toHaveAttribute("data-revoked", "true");
  const res = await fetch(`${base}/api/2.0/mlflow/runs/create`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ run_name: "after-revoke" }),
  });
  expect(res.status).toBe(401);
  await page.screenshot({ path: "test-results/tracking-tokens.png", fullPage: true });
});

test("instructor sees students' lesson runs; a private run opens for a classmate only once shared", async ({ browser }) => {
  const teacher = await (await browser.newContext()).newPage();
  await signUp(teacher, { name: "Prof Tracking", email: uniqueEmail("tteacher"), password, role: "instructor" });
  await expectSignedInAs(teacher, "Prof Tracking");
  await teacher.goto("/es/classes");
  await teacher.getByTestId("create-class-form").locator('input[name="className"]').fill("MLOps Runs");
  await teacher.getByTestId("create-class-form").locator('button[type="submit"]').click();
  const item = teacher.getByTestId("class-item").filter({ hasText: "MLOps Runs" });
  const code = (await item.getByTestId("class-code").textContent())!.trim();
  const classId = (await item.getByRole("link", { name: "MLOps Runs" }).getAttribute("href"))!.split("/").pop()!;

  const join = async (name: string) => {
    const p = await (await browser.newContext()).newPage();
    await signUp(p, { name, email: uniqueEmail("tstudent"), password, role: "student" });
    await expectSignedInAs(p, name);
    await p.goto("/es/classes");
    await p.getByTestId("join-class-form").locator('input[name="joinCode"]').fill(code);
    await p.getByTestId("join-class-form").locator('button[type="submit"]').click();
    await expect(p.getByTestId("join-success")).toContainText("MLOps Runs");
    return p;
  };
  const ana = await join("Ana Runs");
  const beto = await join("Beto Runs");

  // Ana's notebook would open the class's lesson experiment; do the same through tRPC.
  const experimentId = await ana.evaluate(async (classId) => {
    const res = await fetch("/api/trpc/tracking.lessonExperiment", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ json: { classId, lessonSlug: "metrics-baselines" } }),
    });
    return (await res.json()).result.data.json.id as number;
  }, classId);
  const token = await createToken(ana, "ana");
  const created = (await mlflow(token, "runs/create", { experiment_id: String(experimentId), run_name: "ana-baseline" })) as { run: { info: { run_id: string } } };
  const runId = created.run.info.run_id;
  await mlflow(token, "runs/log-batch", { run_id: runId, metrics: [0.7, 0.4, 0.25].map((value, step) => ({ key: "val_loss", value, step, timestamp: Date.now() })) });

  // Beto can't open Ana's private run.
  await beto.goto(`/es/runs/${runId}`);
  await expect(beto.getByTestId("run-error")).toHaveText("No existe o no tenés acceso.");

  // Ana shares it with the class; now Beto sees it.
  await ana.goto(`/es/runs/${runId}`);
  await expect(ana.getByTestId("open-notebook")).toHaveAttribute("href", "/es/lessons/metrics-baselines");
  await expect(ana.getByTestId("share-state")).toContainText("Privada");
  await ana.getByTestId("share-toggle").click();
  await expect(ana.getByTestId("share-state")).toContainText("Compartida con la clase");
  await beto.reload();
  await expect(beto.getByTestId("run-name")).toHaveText("ana-baseline");
  await expect(beto.getByTestId("share-toggle")).toHaveCount(0);

  // The instructor reaches the class runs view from the class page.
  await teacher.goto(`/es/classes/${classId}`);
  await teacher.getByTestId("class-runs-link").click();
  await teacher.getByTestId("class-runs-lesson").selectOption("metrics-baselines");
  await expect(teacher).toHaveURL(new RegExp(`/es/classes/${classId}/runs\\?lesson=metrics-baselines$`));
  const ana_row = teacher.getByTestId("class-runs-student").filter({ hasText: "Ana Runs" });
  await expect(ana_row.getByTestId("class-runs-best")).toHaveText("0.25");
  await expect(teacher.getByTestId("class-run-row")).toHaveCount(1);
  await teacher.screenshot({ path: "test-results/tracking-class-runs.png", fullPage: true });

  // A student can't open the instructor's view.
  await beto.goto(`/es/classes/${classId}/runs`);
  await expect(beto.getByTestId("class-runs-error").first()).toBeVisible();
});
