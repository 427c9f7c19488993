// Typed cells in the browser, with real key events at a person's speed: the editor knows the
// kernel's globals from the generated declarations (`ml.metrics.` completes the metrics) and the
// names earlier cells define by inference (hover `const answerToAll: number`), underlines a type
// error before anything runs with the count in the cell's header, and go to definition (F12) on
// a name from an earlier cell opens that cell. A cell's count follows changes to the cells above it
// with its editor closed, and signature help shows each parameter's default.
import { expect, test, type Locator, type Page } from "@playwright/test";

const KEY_DELAY_MS = 40;
// The first check loads the declarations and builds the TypeScript program in its worker.
const TYPES_TIMEOUT = 60_000;

async function newNotebook(page: Page): Promise<void> {
  await page.goto("/es/notebooks/new");
  await page.waitForURL(/\/es\/notebooks\/local-[0-9a-f]+$/);
  await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true");
  await expect(page.getByTestId("cell")).toHaveCount(1);
}

/** Types into a new code cell at the end; returns it once Monaco has the keys. */
async function typeInNewCell(page: Page, text: string): Promise<Locator> {
  const count = await page.getByTestId("cell").count();
  await page.getByTestId("add-code-cell").click();
  const cell = page.getByTestId("cell").nth(count);
  await expect(cell.locator(".monaco-editor :focus")).toHaveCount(1, { timeout: 30_000 });
  await page.keyboard.type(text, { delay: KEY_DELAY_MS });
  return cell;
}

/** Hovers the start of the first line of the cell's Monaco editor that begins with `text`. */
async function hoverLineStart(cell: Locator, text: string): Promise<void> {
  const line = cell.locator(".view-line", { hasText: new RegExp(`^${text}`) }).first();
  await line.hover({ position: { x: 12, y: 6 } });
}

test.describe("typed cells", () => {
  test("completion, hover with inferred types, type errors in the header, go to definition", async ({ page }) => {
    await newNotebook(page);
    const first = page.getByTestId("cell").first();
    await first.getByTestId("cell-source").click();
    await page.keyboard.type("const answerToAll = 41;", { delay: KEY_DELAY_MS });
    await page.keyboard.press("Escape");

    // Completion of the library's members after ".".
    const second = await typeInNewCell(page, "ml.metrics.");
    const suggest = page.locator(".suggest-widget.visible");
    await expect(suggest.locator(".monaco-list-row", { hasText: /^f1Score/ })).toBeVisible({ timeout: TYPES_TIMEOUT });
    await page.keyboard.type("r", { delay: KEY_DELAY_MS });
    await expect(suggest.locator(".monaco-list-row", { hasText: /^recall/ })).toBeVisible();
    await expect(suggest.locator(".monaco-list-row", { hasText: /^rocAuc/ })).toBeVisible();
    await page.keyboard.type("ecall(", { delay: KEY_DELAY_MS });
    // Signature help names the parameters.
    await expect(page.locator(".parameter-hints-widget")).toContainText("yTrue", { timeout: 10_000 });
    await page.keyboard.press("Escape");
    await page.keyboard.press("End");
    // A name from the cell above: hover shows its inferred type.
    await page.keyboard.type("\nanswerToAll;", { delay: KEY_DELAY_MS });
    await hoverLineStart(second, "answerToAll");
    await expect(page.locator(".monaco-hover:not(.hidden)").first()).toContainText("const answerToAll: number", { timeout: TYPES_TIMEOUT });
    // This cell has no type errors: `recall()` without arguments is one (expected 2-3 arguments).
    await expect(second.getByTestId("cell-type-errors")).toHaveAttribute("data-count", "1", { timeout: TYPES_TIMEOUT });

    // A type error is underlined before running and counted in the header (es).
    await page.keyboard.press("Escape");
    const third = await typeInNewCell(page, 'const n: number = "text";');
    await expect(third.locator(".squiggly-error")).toHaveCount(1, { timeout: TYPES_TIMEOUT });
    await expect(third.getByTestId("cell-type-errors")).toHaveAttribute("data-count", "1");
    await expect(third.getByTestId("cell-type-errors")).toHaveText("1 error de tipos");
    await expect(third.getByTestId("cell-status")).toHaveAttribute("data-status", "idle"); // nothing ran

    // Fixing it clears the count.
    for (let i = 0; i < '"text";'.length; i++) await page.keyboard.press("Backspace", { delay: 20 });
    await page.keyboard.type("answerToAll + 1;", { delay: KEY_DELAY_MS });
    await expect(third.getByTestId("cell-type-errors")).toHaveCount(0, { timeout: TYPES_TIMEOUT });

    // Go to definition of `answerToAll` (F12 with the caret on it) opens the first cell at it.
    await page.keyboard.press("Home");
    for (let i = 0; i < "const n: number = ".length + 3; i++) await page.keyboard.press("ArrowRight", { delay: 10 });
    await page.keyboard.press("F12");
    await expect(first.locator(".monaco-editor :focus")).toHaveCount(1, { timeout: 30_000 });
    // The caret is on the definition: typing lands inside the name.
    await page.keyboard.type("X", { delay: KEY_DELAY_MS });
    await expect(first.locator(".view-lines")).toContainText("const XanswerToAll = 41;");
  });

  test("a cell's error count follows a change in a cell above it; signature help shows parameter defaults", async ({ page }) => {
    await newNotebook(page);
    const first = page.getByTestId("cell").first();
    await first.getByTestId("cell-source").click();
    await page.keyboard.type("const a = 1;", { delay: KEY_DELAY_MS });
    await page.keyboard.press("Escape");

    const second = await typeInNewCell(page, "const b: string = a;");
    await expect(second.getByTestId("cell-type-errors")).toHaveAttribute("data-count", "1", { timeout: TYPES_TIMEOUT });

    // Signature help: the parameters, and the defaults the declarations carry from the source.
    await page.keyboard.type("\nml.metrics.f1Score([1, 0], [1, 1], ", { delay: KEY_DELAY_MS });
    const hints = page.locator(".parameter-hints-widget");
    await expect(hints).toContainText("options?: ClassificationScoreOptions", { timeout: 10_000 });
    await expect(hints).toContainText('Defaults: posLabel 1, average "binary", zeroDivision 0.');
    await page.keyboard.press("Escape"); // the hints
    await expect(hints).toBeHidden();
    await expect(second.getByTestId("cell-type-errors")).toHaveAttribute("data-count", "1", { timeout: TYPES_TIMEOUT });
    await page.keyboard.press("Escape"); // the cell
    await expect(second.locator(".monaco-editor")).toHaveCount(0);

    // Cell 1 becomes `const a = "x"`: cell 2, untouched (no editor), has no error any more.
    await first.getByTestId("cell-source").click();
    await expect(first.locator(".monaco-editor :focus")).toHaveCount(1, { timeout: 30_000 });
    await page.keyboard.press("End");
    for (let i = 0; i < "1;".length; i++) await page.keyboard.press("Backspace", { delay: 20 });
    await page.keyboard.type('"x";', { delay: KEY_DELAY_MS });
    await expect(first.locator(".view-lines")).toContainText('const a = "x";');
    await expect(second.locator(".monaco-editor")).toHaveCount(0);
    await expect(second.getByTestId("cell-type-errors")).toHaveCount(0, { timeout: TYPES_TIMEOUT });

    // And back: `const a = 1` gives cell 2 its error again.
    for (let i = 0; i < '"x";'.length; i++) await page.keyboard.press("Backspace", { delay: 20 });
    await page.keyboard.type("1;", { delay: KEY_DELAY_MS });
    await expect(first.locator(".view-lines")).toContainText("const a = 1;");
    await expect(second.getByTestId("cell-type-errors")).toHaveAttribute("data-count", "1", { timeout: TYPES_TIMEOUT });
    await expect(second.getByTestId("cell-status")).toHaveAttribute("data-status", "idle"); // nothing ran
  });
});
