// An MLflow client (or MLflow's web UI) against the running server: the /ajax-api/2.0/mlflow/
// prefix, the Default experiment "0", deleting and restoring an experiment as the app's list
// shows it, and the mlflow-artifacts folder listing and DELETE that mlflow-artifacts: URIs use.
import { expect, test, type Page } from "@playwright/test";
import { expectSignedInAs, signUp, uniqueEmail } from "./helpers";

const base = process.env.E2E_BASE_URL!;

async function createToken(page: Page): Promise<string> {
  await page.goto("/es/settings/tokens");
  await page.getByTestId("create-token-form").locator('input[name="tokenName"]').fill("mlflow client");
  await page.getByTestId("create-token").click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^cdn_/);
  return token;
}

test("an MLflow client's experiment lifecycle, Default experiment and artifact folders through the server", async ({ page }) => {
  await signUp(page, { name: "Marta Protocolo", email: uniqueEmail("protocol"), password: "correct-horse-42", role: "student" });
  await expectSignedInAs(page, "Marta Protocolo");
  const token = await createToken(page);
  const auth = { Authorization: `Bearer ${token}` };
  async function api(method: string, path: string, body?: unknown, expected = 200) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status, `${method} ${path}: ${text}`).toBe(expected);
    return text ? (JSON.parse(text) as Record<string, any>) : {}; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  // MLflow's web UI prefix answers like the REST API.
  const { experiment_id: expId } = await api("POST", "/ajax-api/2.0/mlflow/experiments/create", { name: "Protocolo MLflow" });
  expect((await api("GET", "/ajax-api/2.0/mlflow/experiments/get?experiment_id=0")).experiment).toMatchObject({ experiment_id: "0", name: "Default" });
  const run = (await api("POST", "/api/2.0/mlflow/runs/create", { experiment_id: expId, start_time: Date.now() })).run.info;

  // Artifacts under the run's mlflow-artifacts: URI, listed and deleted as MLflow's client does.
  const root = `${expId}/${run.run_id}/artifacts`;
  for (const [path, body] of [["model/weights.bin", "0123456789"], ["notes.txt", "hola"]]) {
    const put = await fetch(`${base}/api/2.0/mlflow-artifacts/artifacts/${root}/${path}`, { method: "PUT", headers: { ...auth, "Content-Type": "application/octet-stream" }, body });
    expect(put.status).toBe(200);
  }
  const listing = await api("GET", `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(root)}`);
  expect([...listing.files].sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
    { path: "model", is_dir: true },
    { path: "notes.txt", is_dir: false, file_size: 4 },
  ]);
  expect(await api("DELETE", `/api/2.0/mlflow-artifacts/artifacts/${root}/model`)).toEqual({});
  expect((await api("GET", `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`${root}/model`)}`))).toEqual({});

  // The app lists the experiment; deleted, it disappears from the list and its run from searches; restored, both return.
  await page.goto("/es/experiments");
  const row = page.getByTestId("experiment-row").filter({ hasText: "Protocolo MLflow" });
  await expect(row.getByTestId("experiment-run-count")).toHaveText("1");
  await api("POST", "/ajax-api/2.0/mlflow/experiments/delete", { experiment_id: expId });
  await page.reload();
  await expect(page.getByTestId("experiment-row").first()).toBeVisible(); // the Default is still listed
  await expect(row).toHaveCount(0);
  expect((await api("POST", "/api/2.0/mlflow/runs/search", { experiment_ids: [expId] })).runs ?? []).toEqual([]);
  await api("POST", "/api/2.0/mlflow/runs/log-metric", { run_id: run.run_id, key: "acc", value: 0.5, timestamp: Date.now() }, 400);
  await api("POST", "/api/2.0/mlflow/experiments/restore", { experiment_id: expId });
  await page.reload();
  await expect(row.getByTestId("experiment-run-count")).toHaveText("1");
  await api("POST", "/api/2.0/mlflow/runs/log-metric", { run_id: run.run_id, key: "acc", value: 0.5, timestamp: Date.now() });
});
