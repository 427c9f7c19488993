// The notebook in a real browser: outputs, shared scope between cells, training on WebGPU and
// WASM, interrupting an endless loop, persistence across a reload, SQL on a dataset, errors,
// and a guest running a lesson.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseLessonMarkdown } from "../../lib/notebook/lesson-markdown";
import { listLessons, readLessonSource } from "../../lib/content/lessons";

const root = fileURLToPath(new URL("../..", import.meta.url));
const lessonsDir = join(root, "content", "lessons");

/** A fresh guest scratch notebook (kept in IndexedDB), with its one empty code cell. */
async function newNotebook(page: Page): Promise<void> {
  await page.goto("/es/notebooks/new");
  await page.waitForURL(/\/es\/notebooks\/local-[0-9a-f]+$/);
  await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true");
  await expect(page.getByTestId("cell")).toHaveCount(1);
}

/** Types `source` into a cell's Monaco editor (mounted on click) and leaves edit mode. */
async function setSource(page: Page, cell: Locator, source: string): Promise<void> {
  await cell.getByTestId("cell-source").click();
  // Monaco 0.57 takes input through an EditContext element (older ones through a textarea).
  await expect(cell.locator(".monaco-editor :focus")).toHaveCount(1, { timeout: 30_000 });
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(source);
  await page.keyboard.press("Escape");
  await expect(cell.getByTestId("cell-source")).toBeVisible();
}

/** Appends a code (or SQL) cell holding `source` and returns it. */
async function addCell(page: Page, source: string, kind: "code" | "sql" = "code"): Promise<Locator> {
  const before = await page.getByTestId("cell").count();
  await page.getByTestId(kind === "sql" ? "add-sql-cell" : "add-code-cell").click();
  await expect(page.getByTestId("cell")).toHaveCount(before + 1);
  const cell = page.getByTestId("cell").nth(before);
  await expect(cell.locator(".monaco-editor :focus")).toHaveCount(1, { timeout: 30_000 });
  await page.keyboard.insertText(source);
  await page.keyboard.press("Escape");
  return cell;
}

async function run(cell: Locator, status: "done" | "error" = "done", timeout = 60_000): Promise<void> {
  await cell.getByTestId("cell-run").click();
  await expect(cell.getByTestId("cell-status")).toHaveAttribute("data-status", status, { timeout });
}

test.describe("notebook", () => {
  test("a cell's output appears, and a later cell uses an earlier cell's variable", async ({ page }) => {
    await newNotebook(page);
    const first = page.getByTestId("cell").first();
    await setSource(page, first, 'const answer = 6 * 7;\nconsole.log("hola", answer);\nanswer');
    await run(first);
    await expect(first.getByTestId("cell-output")).toContainText("hola 42");
    await expect(first.getByTestId("cell-output").locator('[data-output="text"], [data-output="json"]').last()).toHaveText("42");

    const second = await addCell(page, "answer + 58");
    await run(second);
    await expect(second.getByTestId("cell-output")).toHaveText("100");

    // Re-running the first cell makes the second stale; "run stale cells" brings it back.
    await run(first);
    await expect(second.getByTestId("cell-status")).toHaveAttribute("data-status", "stale");
    await page.getByTestId("run-stale").click();
    await expect(second.getByTestId("cell-status")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  });

  for (const backend of ["webgpu", "wasm"] as const) {
    test(`a small model trains on ${backend} with a falling loss`, async ({ page }) => {
      await newNotebook(page);
      if (backend === "webgpu") {
        const adapter = await page.evaluate(async () => {
          const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
          return Boolean(gpu && (await gpu.requestAdapter()));
        });
        test.skip(!adapter, "this Chromium exposes no WebGPU adapter");
      }
      await page.getByTestId("kernel-backend-select").selectOption(backend);
      await expect(page.getByTestId("kernel-backend")).toHaveText(backend, { timeout: 90_000 });
      if (backend === "wasm") {
        // Notebook pages are cross-origin isolated, so wasm runs threaded: one thread per logical core.
        const { isolated, cores } = await page.evaluate(() => ({ isolated: self.crossOriginIsolated, cores: navigator.hardwareConcurrency }));
        expect(isolated).toBe(true);
        await expect(page.getByTestId("kernel-device")).toHaveText(/^wasm \(SIMD, \d+ threads?/);
        const device = await page.getByTestId("kernel-device").innerText();
        const threads = Number(/(\d+) threads?/.exec(device)?.[1]);
        expect(threads, device).toBe(Math.min(8, cores));
        if (cores > 1) expect(device).toContain(`${threads} threads)`);
      }
      const cell = page.getByTestId("cell").first();
      await setSource(
        page,
        cell,
        [
          "const xs = tf.tensor2d([[0], [1], [2], [3], [4]]);",
          "const ys = tf.tensor2d([[1], [3], [5], [7], [9]]);",
          "const model = tf.sequential();",
          "model.add(tf.layers.dense({ units: 1, inputShape: [1] }));",
          'model.compile({ optimizer: tf.train.sgd(0.05), loss: "meanSquaredError" });',
          "const h = await model.fit(xs, ys, { epochs: 40, verbose: 0, callbacks: [show.history()] });",
          'console.log("RESULT " + JSON.stringify({ backend: tf.getBackend(), loss: h.history.loss }));',
        ].join("\n"),
      );
      await run(cell, "done", 110_000);
      const text = await cell.locator('[data-output="stream"]').innerText();
      const result = JSON.parse(text.slice(text.indexOf("RESULT ") + 7).split("\n")[0]) as { backend: string; loss: number[] };
      expect(result.backend).toBe(backend);
      expect(result.loss).toHaveLength(40);
      expect(result.loss.at(-1)!).toBeLessThan(result.loss[0] * 0.5);
      // The training history is drawn by the page (a Vega-Lite chart from the worker's data).
      await expect(cell.locator('[data-output="chart"] svg')).toBeVisible();
    });
  }

  test("an infinite loop is interrupted within 2 s and the page still answers", async ({ page }) => {
    await newNotebook(page);
    const first = page.getByTestId("cell").first();
    await setSource(page, first, "const kept = 5;");
    await run(first);
    const loop = await addCell(page, "let i = 0;\nwhile (true) { i++; }");
    await loop.getByTestId("cell-run").click();
    await expect(loop.getByTestId("cell-status")).toHaveAttribute("data-status", "running");
    const t0 = Date.now();
    await page.getByTestId("kernel-interrupt").click();
    await expect(loop.getByTestId("cell-status")).not.toHaveAttribute("data-status", "running", { timeout: 2_000 });
    expect(Date.now() - t0).toBeLessThan(2_500);
    // The notebook says which variables were lost, and the kernel runs cells again.
    await expect(page.getByTestId("kernel-notice")).toContainText("kept");
    const after = await addCell(page, "1 + 1");
    await run(after);
    await expect(after.getByTestId("cell-output")).toHaveText("2");
  });

  test("an edit survives a reload", async ({ page }) => {
    await newNotebook(page);
    const url = page.url();
    const cell = page.getByTestId("cell").first();
    const marker = `const survived${Date.now()} = "sigue acá";`;
    await setSource(page, cell, marker);
    await page.waitForTimeout(1_000); // written to IndexedDB within a second of the edit
    await page.reload();
    expect(page.url()).toBe(url);
    await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true");
    await expect(page.getByTestId("cell").first().getByTestId("cell-source")).toHaveText(marker);
    // and the guest's notebook is listed
    await page.goto("/es/notebooks");
    await expect(page.getByTestId("notebook-item").first()).toBeVisible();
  });

  test("exports .ipynb with its outputs and imports one; a file that is not a notebook is refused and changes nothing", async ({ page }) => {
    await newNotebook(page);
    const first = page.getByTestId("cell").first();
    await setSource(page, first, "const exported = 21 * 2;\nexported");
    await run(first);
    await expect(first.getByTestId("cell-output")).toHaveText("42");

    const download = page.waitForEvent("download");
    await page.getByTestId("export-ipynb").click();
    const nb = JSON.parse(readFileSync((await (await download).path())!, "utf8"));
    expect(nb.nbformat).toBe(4);
    const text = (v: string | string[]) => (Array.isArray(v) ? v.join("") : v);
    expect(text(nb.cells[0].source)).toBe("const exported = 21 * 2;\nexported");
    expect(nb.cells[0].outputs.map((o: { data?: Record<string, string | string[]> }) => text(o.data?.["text/plain"] ?? ""))).toContain("42");

    // Not a notebook: a translated message, and the cells stay as they were.
    await page.getByTestId("import-ipynb-file").setInputFiles({ name: "notas.ipynb", mimeType: "application/json", buffer: Buffer.from("esto no es un cuaderno") });
    await expect(page.getByTestId("import-error")).toHaveText("No se pudo importar el archivo: no es JSON válido, así que no es un cuaderno de Jupyter (.ipynb)");
    await expect(page.getByTestId("cell")).toHaveCount(1);
    await expect(first.getByTestId("cell-source")).toHaveText("const exported = 21 * 2;\nexported");

    // The exported file, with one more cell, imported back (after confirming the replacement).
    nb.cells.push({ cell_type: "markdown", metadata: {}, source: ["## Importado de vuelta"] });
    page.once("dialog", (d) => void d.accept());
    await page.getByTestId("import-ipynb-file").setInputFiles({ name: "vuelta.ipynb", mimeType: "application/x-ipynb+json", buffer: Buffer.from(JSON.stringify(nb)) });
    await expect(page.getByTestId("cell")).toHaveCount(2);
    await expect(page.getByTestId("cell").nth(1)).toContainText("Importado de vuelta");
    await expect(page.getByTestId("cell").first().getByTestId("cell-output")).toHaveText("42");
    await expect(page.getByTestId("import-error")).toHaveCount(0);
  });

  test("the toolbar: restart says which variables were lost, restart & run all brings them back, clear outputs, add a cell", async ({ page }) => {
    await newNotebook(page);
    const first = page.getByTestId("cell").first();
    await setSource(page, first, "const kept = 7;\nkept * 6");
    await run(first);
    await expect(first.getByTestId("cell-output")).toHaveText("42");
    const second = await addCell(page, "kept + 1");
    await run(second);
    await expect(second.getByTestId("cell-output")).toHaveText("8");

    await page.getByTestId("kernel-restart").click();
    await expect(page.getByTestId("kernel-notice")).toContainText("kept");
    await expect(first.getByTestId("cell-status")).toHaveAttribute("data-status", "idle");
    await run(second, "error"); // `kept` is gone with the old kernel
    await expect(second.getByTestId("cell-output")).toContainText("kept");

    await page.getByTestId("kernel-restart-run-all").click();
    await expect(second.getByTestId("cell-status")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
    await expect(first.getByTestId("cell-output")).toHaveText("42");
    await expect(second.getByTestId("cell-output")).toHaveText("8");

    await page.getByTestId("clear-outputs").click();
    await expect(page.getByTestId("cell-output")).toHaveCount(0);
    await expect(second.getByTestId("cell-source")).toHaveText("kept + 1");

    await page.getByTestId("add-cell").click();
    await expect(page.getByTestId("cell")).toHaveCount(3);
  });

  test("an SQL cell counts a dataset's rows by class", async ({ page }) => {
    // Expected counts straight from the CSV the app serves.
    const lines = readFileSync(join(root, "content", "datasets", "fraud.csv"), "utf8").trim().split(/\r?\n/);
    const col = lines[0].split(",").indexOf("is_fraud");
    expect(col).toBeGreaterThanOrEqual(0);
    const expected = new Map<string, number>();
    for (const line of lines.slice(1)) {
      const v = line.split(",")[col];
      expected.set(v, (expected.get(v) ?? 0) + 1);
    }
    expect(expected.size).toBe(2);

    await newNotebook(page);
    const load = page.getByTestId("cell").first();
    await setSource(page, load, 'const fraud = await data.load("fraud");\nfraud.rows.length');
    await run(load);
    await expect(load.getByTestId("cell-output")).toHaveText(String(lines.length - 1));
    const q = await addCell(page, "SELECT is_fraud, count(*) AS n FROM fraud GROUP BY is_fraud ORDER BY is_fraud", "sql");
    await run(q, "done", 90_000);
    const rows = q.locator('[data-output="table"] tbody tr');
    await expect(rows).toHaveCount(2);
    for (let i = 0; i < 2; i++) {
      const cells = rows.nth(i).locator("td");
      const cls = (await cells.nth(0).innerText()).trim();
      const n = Number((await cells.nth(1).innerText()).trim());
      expect(n).toBe(expected.get(cls === "true" ? "1" : cls === "false" ? "0" : cls));
    }
  });

  test("a bad cell shows its error with the line, and the next cell still runs", async ({ page }) => {
    await newNotebook(page);
    const bad = page.getByTestId("cell").first();
    await setSource(page, bad, "const base = 10;\nnotAFunction(base);");
    await run(bad, "error");
    const error = bad.locator('[data-output="error"]');
    await expect(error).toContainText("notAFunction");
    await expect(error).toContainText("2");
    const next = await addCell(page, "base * 3");
    await run(next);
    await expect(next.getByTestId("cell-output")).toHaveText("30");
  });

  test("a guest opens a lesson, reads it before scripts run, and runs its first cell", async ({ page, request }) => {
    const lesson = listLessons(lessonsDir).find((l) => readLessonSource(l.slug, "es", lessonsDir));
    test.skip(!lesson, "no lessons in content/lessons");
    const doc = parseLessonMarkdown(readLessonSource(lesson!.slug, "es", lessonsDir)!);
    const firstCode = doc.cells.find((c) => c.kind === "code")!;
    const firstProse = doc.cells.find((c) => c.kind === "markdown")!;

    // The server's HTML already holds the prose and the code (no JavaScript needed to read it).
    const html = await (await request.get(`/es/lessons/${lesson!.slug}`)).text();
    const heading = /^#+\s+(.+)$/m.exec(firstProse.source)?.[1] ?? "";
    expect(html).toContain(heading.replace(/&/g, "&amp;"));
    const firstCodeLine = firstCode.source.split("\n")[0];
    const visibleText = html.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#x27;|&#39;/g, "'");
    expect(visibleText).toContain(firstCodeLine);

    await page.goto(`/es/lessons/${lesson!.slug}`);
    await expect(page.getByTestId("guest-invite")).toBeVisible();
    await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true");
    const cell = page.locator(`[data-testid="cell"][data-cell-id="${firstCode.id}"]`);
    await run(cell, "done", 110_000);
    await expect(cell.getByTestId("cell-output")).toBeVisible();
    await expect(cell.locator('[data-output="error"]')).toHaveCount(0);

    // "Reset notebook" (after confirming) brings back the lesson as written: its source, no outputs.
    await setSource(page, cell, "// mi versión");
    await expect(cell.getByTestId("cell-source")).toHaveText("// mi versión");
    page.once("dialog", (d) => void d.accept());
    await page.getByTestId("reset-notebook").click();
    await expect(cell.getByTestId("cell-source")).toHaveText(firstCode.source);
    await expect(cell.getByTestId("cell-output")).toHaveCount(0);
    await expect(cell.getByTestId("cell-status")).toHaveAttribute("data-status", "idle");
  });
});
