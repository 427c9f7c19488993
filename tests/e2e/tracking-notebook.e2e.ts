// `track` in a real browser: a guest's run stays in the browser's outbox and uploads once the
// person signs up and opens a notebook; a signed-in cell trains a tfjs model with
// run.fitCallback() and its 5 epochs reach the server in the background (checked through the
// MLflow REST API with the session cookie, and the database for provenance).
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { e2eDb, expectSignedInAs, signUp, uniqueEmail } from "./helpers";

async function newNotebook(page: Page): Promise<Locator> {
  await page.goto("/es/notebooks/new");
  await page.waitForURL(/\/es\/notebooks\/(?!new)[\w-]+$/);
  await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true");
  await expect(page.getByTestId("cell")).toHaveCount(1);
  return page.getByTestId("cell").first();
}

/** Replaces the cell's source through its Monaco editor and leaves edit mode (does not run it). */
async function typeSource(page: Page, cell: Locator, source: string): Promise<void> {
  await cell.getByTestId("cell-source").click();
  // Monaco focuses its EditContext element (or textarea, by browser): whatever has focus inside it.
  await expect(cell.locator(".monaco-editor :focus")).toHaveCount(1, { timeout: 30_000 });
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(source);
  await page.keyboard.press("Escape");
}

async function runSource(page: Page, cell: Locator, source: string, timeout = 180_000): Promise<void> {
  await typeSource(page, cell, source);
  await cell.getByTestId("cell-run").click();
  await expect(cell.getByTestId("cell-status")).toHaveAttribute("data-status", /^(done|error)$/, { timeout });
  const status = await cell.getByTestId("cell-status").getAttribute("data-status");
  if (status !== "done") throw new Error(`cell failed: ${await cell.getByTestId("cell-output").innerText().catch(() => "")}`);
}

interface RestRun {
  info: { run_id: string; run_name: string; status: string };
  data: { params?: { key: string; value: string }[] };
}
async function runsNamed(request: APIRequestContext, name: string): Promise<RestRun[]> {
  // A cookie-authenticated POST: the app's Origin, as the page itself would send.
  const r = await request.post("/api/2.0/mlflow/runs/search", { headers: { Origin: process.env.E2E_BASE_URL! }, data: { filter: `attributes.run_name = '${name}'`, max_results: 10 } });
  expect(r.status()).toBe(200);
  return ((await r.json()) as { runs?: RestRun[] }).runs ?? [];
}
async function metricHistory(request: APIRequestContext, runId: string, key: string) {
  const r = await request.get(`/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${key}`);
  expect(r.status()).toBe(200);
  return ((await r.json()) as { metrics?: { step: number; value: number }[] }).metrics ?? [];
}

test("track: a guest run uploads after sign-up; a 5-epoch fit logs exactly 5 loss points", async ({ page }) => {
  test.setTimeout(600_000);

  // 1. As a guest: the run is kept in this browser.
  const guestCell = await newNotebook(page);
  await runSource(
    page,
    guestCell,
    // One statement per line: Monaco's auto-closing would add brackets to a line break inside a block.
    ['const gr = await track.start("e2e-guest", { k: 1 });', 'gr.logMetric("m", 1, 0);', 'gr.logMetric("m", 2, 1);', "await gr.end();", "await track.pending()"].join("\n"),
  );
  await expect(guestCell.getByTestId("cell-output")).not.toContainText(/^0$/);

  // 2. Sign up: nothing of the guest's run is on the server until a notebook opens.
  const name = "Tomás Track";
  await signUp(page, { name, email: uniqueEmail("track"), password: "contraseña-segura-123", role: "student" });
  await expectSignedInAs(page, name);
  expect(await runsNamed(page.request, "e2e-guest")).toHaveLength(0);

  // 3. A signed-in scratch notebook: the guest run uploads, and a training cell logs its epochs.
  const cell = await newNotebook(page);
  // A chosen backend skips the calibration (minutes on a loaded machine); it is recorded all the same.
  await page.getByTestId("kernel-backend-select").selectOption("wasm");
  await expect(page.getByTestId("kernel-backend")).toHaveText("wasm", { timeout: 90_000 });
  await runSource(
    page,
    cell,
    [
      "const xs = tf.tensor2d([[0], [1], [2], [3]]);",
      "const ys = tf.tensor2d([[1], [3], [5], [7]]);",
      "const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });",
      'model.compile({ optimizer: tf.train.sgd(0.05), loss: "meanSquaredError" });',
      'await track.run("e2e-fit", { lr: 0.05, seed: 5 }, (run) => model.fit(xs, ys, { epochs: 5, verbose: 0, callbacks: [run.fitCallback()] }));',
      '"trained"',
    ].join("\n"),
  );
  await expect(cell.getByTestId("cell-output")).toContainText("trained");

  // Points go out in the background: poll the REST API.
  await expect.poll(async () => (await runsNamed(page.request, "e2e-fit")).map((r) => r.info.status), { timeout: 60_000 }).toEqual(["FINISHED"]);
  const [fit] = await runsNamed(page.request, "e2e-fit");
  expect(fit.data.params).toEqual(expect.arrayContaining([{ key: "lr", value: "0.05" }, { key: "seed", value: "5" }]));
  await expect.poll(async () => (await metricHistory(page.request, fit.info.run_id, "loss")).length, { timeout: 30_000 }).toBe(5);
  const loss = await metricHistory(page.request, fit.info.run_id, "loss");
  expect(loss.map((m) => m.step).sort()).toEqual([0, 1, 2, 3, 4]);
  expect(loss.every((m) => Number.isFinite(m.value))).toBe(true);

  await expect.poll(async () => (await runsNamed(page.request, "e2e-guest")).map((r) => r.info.status), { timeout: 60_000 }).toEqual(["FINISHED"]);
  const [guest] = await runsNamed(page.request, "e2e-guest");
  expect((await metricHistory(page.request, guest.info.run_id, "m")).map((m) => [m.step, m.value])).toEqual([
    [0, 1],
    [1, 2],
  ]);

  // Provenance the page and kernel know: the cell's source, the backend, the seed.
  const db = e2eDb();
  try {
    const row = db.prepare('SELECT source, backend, device, seed FROM "Run" WHERE id = ?').get(fit.info.run_id) as {
      source: string | null;
      backend: string | null;
      device: string | null;
      seed: number | null;
    };
    expect(row.source).toContain("run.fitCallback()");
    expect(row.backend).toBe("wasm");
    expect(row.device).toBeTruthy();
    expect(row.seed).toBe(5);
  } finally {
    db.close();
  }
  // Nothing left in the outbox after a flush.
  await runSource(page, cell, "(await track.flush(20000)).pending");
  await expect(cell.getByTestId("cell-output")).toContainText("0");
});

test("track: a run cut off by a kernel restart ends KILLED, with the points it logged", async ({ page }) => {
  test.setTimeout(300_000);
  await signUp(page, { name: "Rita Restart", email: uniqueEmail("restart"), password: "contraseña-segura-123", role: "student" });
  await expectSignedInAs(page, "Rita Restart");
  const cell = await newNotebook(page);
  await typeSource(page, cell, ['const cut = await track.start("e2e-cut-off", { k: 2 });', 'cut.logMetric("m", 7, 0);', "await track.flush(20000);", "while (true) {}"].join("\n"));
  await cell.getByTestId("cell-run").click();
  await expect(cell.getByTestId("cell-status")).toHaveAttribute("data-status", "running");
  // The run and its point reach the server before the loop starts; then the loop never yields.
  await expect.poll(async () => (await runsNamed(page.request, "e2e-cut-off")).map((r) => r.info.status), { timeout: 60_000 }).toEqual(["RUNNING"]);
  await page.getByTestId("kernel-interrupt").click();
  await expect(cell.getByTestId("cell-status")).not.toHaveAttribute("data-status", "running", { timeout: 5_000 });
  // The restarted kernel's tracking client finds the run its dead worker left open.
  await expect.poll(async () => (await runsNamed(page.request, "e2e-cut-off")).map((r) => r.info.status), { timeout: 30_000 }).toEqual(["KILLED"]);
  const [cut] = await runsNamed(page.request, "e2e-cut-off");
  expect((await metricHistory(page.request, cut.info.run_id, "m")).map((m) => [m.step, m.value])).toEqual([[0, 7]]);
});

test("track: a run's page follows a training cell live, without a reload", async ({ page, context }) => {
  test.setTimeout(300_000);
  await signUp(page, { name: "Lola Live", email: uniqueEmail("live"), password: "contraseña-segura-123", role: "student" });
  await expectSignedInAs(page, "Lola Live");
  const cell = await newNotebook(page);
  // An epoch every 300 ms for 12 s, its loss falling: what a training cell logs.
  await typeSource(
    page,
    cell,
    [
      'const live = await track.start("e2e-live", { epochs: 40 });',
      "for (let epoch = 0; epoch < 40; epoch++) {",
      '  live.logMetric("loss", 1 / (epoch + 1), epoch);',
      "  await new Promise((r) => setTimeout(r, 300));",
      "}",
      "await live.end();",
      '"trained"',
    ].join("\n"),
  );
  await cell.getByTestId("cell-run").click();
  await expect.poll(async () => (await runsNamed(page.request, "e2e-live")).length, { timeout: 30_000 }).toBe(1);
  const [run] = await runsNamed(page.request, "e2e-live");

  // The student's run page, opened while the cell trains, then left alone.
  const viewer = await context.newPage();
  await viewer.goto(`/es/runs/${run.info.run_id}`);
  await viewer.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));
  await expect(viewer.getByTestId("run-status")).toHaveAttribute("data-status", "RUNNING");
  const latestLoss = async () => Number((await viewer.getByTestId("run-metrics").locator("td").nth(1).textContent().catch(() => null)) ?? NaN);
  await expect.poll(latestLoss, { timeout: 30_000 }).toBeGreaterThan(0);
  const first = await latestLoss();
  await expect.poll(latestLoss, { timeout: 30_000 }).toBeLessThan(first);
  await expect(viewer.getByTestId("run-status")).toHaveAttribute("data-status", "FINISHED", { timeout: 60_000 });
  await expect.poll(latestLoss).toBeCloseTo(1 / 40, 3);
  expect(await viewer.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);
  await expect(cell.getByTestId("cell-output")).toContainText("trained");
});
