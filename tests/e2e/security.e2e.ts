// Issue 11, points 3 and 6 against the production server: signing in never sends the user to
// another site, artifact downloads keep their own sandbox policy, and pages run under a
// per-request nonce policy with neither 'unsafe-inline' nor 'unsafe-eval' while the notebook
// (Monaco, the kernel worker's eval, TensorFlow.js, DuckDB, Vega charts) still works.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectSignedInAs, signUp, uniqueEmail } from "./helpers";

const base = process.env.E2E_BASE_URL!;
const origin = new URL(base).origin;

/** Types like a person: real key events (keydown, keypress, keyup), 60 ms apart. */
async function typeSlowly(field: Locator, text: string) {
  await field.click();
  await field.page().keyboard.type(text, { delay: 60 });
}

/** Any request for evil.example is answered here (and recorded) instead of leaving the machine. */
async function trapEvilSite(page: Page): Promise<string[]> {
  const hits: string[] = [];
  await page.context().route((url) => url.hostname === "evil.example", (route) => {
    hits.push(route.request().url());
    return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>phished</h1>" });
  });
  return hits;
}

test.describe("sign-in ?next=", () => {
  for (const next of ["/\\evil.example/phish", "//evil.example/phish", "/%5Cevil.example/phish", "https://evil.example/phish"]) {
    test(`?next=${next} ends on this origin, signed in`, async ({ page }) => {
      const hits = await trapEvilSite(page);
      await page.goto(`/es/sign-in?next=${encodeURIComponent(next)}`);
      const form = page.getByTestId("sign-in-form");
      await typeSlowly(form.locator('input[name="email"]'), "ana@cuaderno.local");
      await form.locator('input[name="password"]').pressSequentially("cuaderno-ana", { delay: 60 });
      await page.keyboard.press("Enter");
      await expectSignedInAs(page, "Ana Estudiante");
      await expect(page).toHaveURL(`${origin}/es`);
      expect(hits).toEqual([]);
    });
  }

  test("a same-origin ?next= is still followed", async ({ page }) => {
    await page.goto(`/es/sign-in?next=${encodeURIComponent("/es/classes")}`);
    const form = page.getByTestId("sign-in-form");
    await form.locator('input[name="email"]').pressSequentially("ana@cuaderno.local", { delay: 50 });
    await form.locator('input[name="password"]').pressSequentially("cuaderno-ana", { delay: 50 });
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`${origin}/es/classes`);
    await expectSignedInAs(page, "Ana Estudiante");
  });
});

test("an artifact download keeps its own CSP (sandbox; default-src 'none'); API answers get a locked-down one", async ({ page }) => {
  await signUp(page, { name: "Artifact Csp", email: uniqueEmail("csp"), password: "correct-horse-42", role: "student" });
  await expectSignedInAs(page, "Artifact Csp");
  // Cookie-authenticated calls from the app's own origin, as the notebook makes them.
  const headers = { Origin: origin, "Content-Type": "application/json" };
  const created = await page.request.post("/api/2.0/mlflow/runs/create", { headers, data: { run_name: "csp" } });
  expect(created.status(), await created.text()).toBe(200);
  const runId = ((await created.json()) as { run: { info: { run_id: string } } }).run.info.run_id;

  const html = "<script>document.title = 'ran'</script><p>student bytes</p>";
  for (const [path, type, body] of [
    ["report.html", "text/html", html],
    ["notes/page.svg", "image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`],
    ["model/weights.bin", "application/octet-stream", "\u0001\u0002"],
  ] as const) {
    const url = `/api/2.0/mlflow-artifacts/artifacts/${runId}/${path}`;
    const put = await page.request.put(url, { headers: { Origin: origin, "Content-Type": type }, data: Buffer.from(body) });
    expect(put.status(), await put.text()).toBe(200);
    const got = await page.request.get(url);
    expect(got.status()).toBe(200);
    // Exactly the route's own policy: one header, not replaced or joined with a global one.
    expect(got.headersArray().filter((h) => h.name.toLowerCase() === "content-security-policy"), path).toEqual([
      { name: expect.stringMatching(/^content-security-policy$/i), value: "sandbox; default-src 'none'" },
    ]);
    expect(got.headers()["x-content-type-options"]).toBe("nosniff");
    expect(await got.text()).toBe(body);
  }
  // Other API answers get a policy under which nothing runs.
  expect((await page.request.get("/api/auth/ok")).headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");

});

test("pages carry a fresh nonce policy without 'unsafe-inline' or 'unsafe-eval'; worker scripts keep eval", async ({ request }) => {
  const policies: string[] = [];
  // An unknown path too: its localized 404 is rendered per request, so its scripts carry the nonce.
  for (const [path, status] of [["/es", 200], ["/es", 200], ["/en/sign-in", 200], ["/es/notebooks/new", 200], ["/es/no-such-page", 404]] as const) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(status);
    const csp = res.headers()["content-security-policy"];
    const script = /(?:^|;\s*)script-src ([^;]*)/.exec(csp)?.[1] ?? "";
    expect(script, path).toMatch(/'nonce-[A-Za-z0-9+/]{22}=='/);
    expect(script).toContain("'strict-dynamic'");
    expect(script).not.toContain("'unsafe-inline'");
    expect(script).not.toContain("'unsafe-eval'");
    // The other directives and headers are kept.
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(res.headers()["x-frame-options"]).toBe("DENY");
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    // Every script Next wrote into the page carries this request's nonce.
    const nonce = /'nonce-([^']+)'/.exec(script)![1];
    const html = await res.text();
    const tags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length, path).toBeGreaterThan(0);
    for (const tag of tags) expect(tag, path).toContain(`nonce="${nonce}"`);
    policies.push(nonce);
  }
  expect(new Set(policies).size).toBe(policies.length);

  // A worker takes its policy from its own script's response: the kernel compiles cells with AsyncFunction.
  const page = await request.get("/es/notebooks/new");
  const chunk = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(await page.text())![1];
  const worker = (await request.get(chunk)).headers()["content-security-policy"];
  expect(worker).toMatch(/script-src [^;]*'unsafe-eval'/);
  expect((await request.get("/vendor/duckdb/duckdb-browser-eh.worker.js")).headers()["content-security-policy"]).toBe(worker);
});

test("the notebook works under the page policy: Monaco, a tf cell with its chart, SQL; no CSP violation", async ({ page }) => {
  test.setTimeout(240_000);
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __csp: string[] }).__csp ??= [];
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|evaluate|load|create|compile)|unsafe-eval/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => {
    if (/Content Security Policy|unsafe-eval|EvalError/i.test(String(e))) problems.push(`pageerror: ${e}`);
  });

  await page.goto("/es/notebooks/new");
  await page.waitForURL(/\/es\/notebooks\/local-[0-9a-f]+$/);
  await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true");
  await page.getByTestId("kernel-backend-select").selectOption("wasm");
  await expect(page.getByTestId("kernel-backend")).toHaveText("wasm", { timeout: 90_000 });

  // Monaco mounts (its AMD loader and language workers load under 'strict-dynamic').
  const cell = page.getByTestId("cell").first();
  await cell.getByTestId("cell-source").click();
  await expect(cell.locator(".monaco-editor :focus")).toHaveCount(1, { timeout: 30_000 });
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(
    [
      "const xs = tf.tensor2d([[0], [1], [2], [3]]);",
      "const ys = tf.tensor2d([[1], [3], [5], [7]]);",
      "const model = tf.sequential();",
      "model.add(tf.layers.dense({ units: 1, inputShape: [1] }));",
      'model.compile({ optimizer: tf.train.sgd(0.05), loss: "meanSquaredError" });',
      "const h = await model.fit(xs, ys, { epochs: 10, verbose: 0, callbacks: [show.history()] });",
      "h.history.loss.length",
    ].join("\n"),
  );
  await page.keyboard.press("Escape");
  await cell.getByTestId("cell-run").click();
  await expect(cell.getByTestId("cell-status")).toHaveAttribute("data-status", "done", { timeout: 120_000 });
  await expect(cell.getByTestId("cell-output").locator('[data-output="text"], [data-output="json"]').last()).toHaveText("10");
  // The history chart is Vega, drawn by the page.
  await expect(cell.locator('[data-output="chart"] svg')).toBeVisible();

  // DuckDB-Wasm runs SQL in its own worker.
  await page.getByTestId("add-sql-cell").click();
  const sql = page.getByTestId("cell").nth(1);
  await expect(sql.locator(".monaco-editor :focus")).toHaveCount(1, { timeout: 30_000 });
  await page.keyboard.insertText("SELECT 6 * 7 AS answer");
  await page.keyboard.press("Escape");
  await sql.getByTestId("cell-run").click();
  await expect(sql.getByTestId("cell-status")).toHaveAttribute("data-status", "done", { timeout: 90_000 });
  await expect(sql.locator('[data-output="table"] tbody td').first()).toHaveText("42");

  const violations = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  expect([...violations, ...problems]).toEqual([]);
});
