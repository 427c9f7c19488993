// Typing into a cell with real key events at a person's speed: every key typed right after a
// click, after Enter, or after B then Enter lands in that cell, in order, whether the Monaco
// editor is loaded yet or not (the cell takes keys in a plain text area until Monaco takes over).
import { expect, test, type Locator, type Page } from "@playwright/test";

const KEY_DELAY_MS = 60;

async function newNotebook(page: Page): Promise<void> {
  await page.goto("/es/notebooks/new");
  await page.waitForURL(/\/es\/notebooks\/local-[0-9a-f]+$/);
  await expect(page.getByTestId("notebook")).toHaveAttribute("data-loaded", "true");
  await expect(page.getByTestId("cell")).toHaveCount(1);
}

/** The cell's source as its static view shows it once it leaves edit mode. */
async function sourceOf(cell: Locator): Promise<string> {
  return ((await cell.getByTestId("cell-source").textContent()) ?? "").replace(/\n$/, "");
}

async function expectRan(cell: Locator, output?: string): Promise<void> {
  await expect(cell.getByTestId("cell-status")).toHaveAttribute("data-status", "done", { timeout: 90_000 });
  if (output !== undefined) await expect(cell.getByTestId("cell-output").locator('[data-output="text"], [data-output="json"]').last()).toHaveText(output);
}

/** Holds back Monaco's loader script until `release()`: the editor cannot be ready before that. */
async function holdMonaco(page: Page): Promise<{ release(): void }> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route("**/vendor/monaco/vs/loader.js", async (route) => {
    await released;
    await route.continue().catch(() => undefined); // the page may be gone by then
  });
  return { release };
}

test.describe("typing into a cell", () => {
  const FIRST = "if (true) {\n  let seen = 1;\n}\nconst total = 15; total;";
  test("keys typed right after clicking a fresh cell all land in it, and Shift+Enter runs it", async ({ page }) => {
    await newNotebook(page);
    const first = page.getByTestId("cell").first();
    await first.getByTestId("cell-source").click();
    await page.keyboard.type("let answer = 42;", { delay: KEY_DELAY_MS });
    await page.keyboard.press("Shift+Enter");
    await expectRan(first);
    await expect.poll(() => sourceOf(first)).toBe("let answer = 42;");
    // Shift+Enter on the last cell opens a new one in edit mode: typing at once lands there too.
    await expect(page.getByTestId("cell")).toHaveCount(2);
    const second = page.getByTestId("cell").nth(1);
    await page.keyboard.type("answer * 2;", { delay: KEY_DELAY_MS });
    await page.keyboard.press("Shift+Enter");
    await expectRan(second, "84");
    await expect.poll(() => sourceOf(second)).toBe("answer * 2;");
  });

  test("Monaco's last keys reach the notebook before a toolbar click reads it: Run all right after typing runs the typed text", async ({ page }) => {
    await newNotebook(page);
    const first = page.getByTestId("cell").first();
    await first.getByTestId("cell-source").click();
    // Monaco has taken over from the text area (its edits reach the notebook once typing pauses).
    await expect(first.getByTestId("cell-draft")).toHaveCount(0, { timeout: 60_000 });
    await expect(first.getByTestId("cell-monaco")).toBeVisible();
    // The button's place found beforehand: the click follows the last key at once (a locator's
    // click would first wait for the button to be stable, time enough for the edits to arrive anyway).
    const button = await page.getByTestId("run-all").boundingBox();
    if (!button) throw new Error("no Run all button");
    await page.keyboard.type("6 * 71", { delay: KEY_DELAY_MS }); // a lost last key would give 42
    await page.mouse.click(button.x + button.width / 2, button.y + button.height / 2);
    await expectRan(first, "426");
  });

  test("the page follows Monaco's caret: Enter past the window's bottom scrolls it into sight, above the kernel bar; Ctrl+Home scrolls back, below the toolbar", async ({ page }) => {
    await page.setViewportSize({ width: 1000, height: 600 });
    await newNotebook(page);
    const first = page.getByTestId("cell").first();
    await first.getByTestId("cell-source").click();
    await expect(first.getByTestId("cell-draft")).toHaveCount(0, { timeout: 60_000 });
    /** The caret's top and bottom, and the room between the sticky toolbar and kernel bar (window px). */
    const where = () =>
      page.evaluate(() => {
        const caret = document.querySelector(".monaco-editor .cursor")!.getBoundingClientRect();
        const top = document.querySelector('[data-caret-inset="top"]')!.getBoundingClientRect();
        const bottom = document.querySelector('[data-caret-inset="bottom"]')!.getBoundingClientRect();
        return { top: caret.top, bottom: caret.bottom, upper: top.bottom, lower: bottom.top, scrollY: window.scrollY };
      });
    const lines = 40;
    for (let i = 0; i < lines; i++) await page.keyboard.type(`const line${i} = ${i};\n`, { delay: 15 });
    await page.keyboard.type("line39", { delay: KEY_DELAY_MS });
    await expect.poll(async () => (await where()).scrollY).toBeGreaterThan(0);
    const low = await where();
    expect(low.bottom).toBeLessThanOrEqual(low.lower);
    expect(low.top).toBeGreaterThanOrEqual(low.upper);
    await page.keyboard.press("Control+Home");
    await expect.poll(async () => (await where()).scrollY).toBeLessThan(low.scrollY);
    const high = await where();
    expect(high.top).toBeGreaterThanOrEqual(high.upper);
    expect(high.bottom).toBeLessThanOrEqual(high.lower);
    // Every key landed: the cell runs the last line typed.
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Shift+Enter");
    await expectRan(first, "39");
  });

  test("B then Enter then typing at once: the new cell holds exactly the typed text and runs it", async ({ page }) => {
    await newNotebook(page);
    const first = page.getByTestId("cell").first();
    await first.getByTestId("cell-status").click(); // command mode: the cell is selected, not edited
    await page.keyboard.press("b");
    await page.keyboard.press("Enter");
    await page.keyboard.type("const bee = 6; bee * 7;", { delay: KEY_DELAY_MS });
    await page.keyboard.press("Shift+Enter");
    await expect(page.getByTestId("cell")).toHaveCount(3); // Shift+Enter on the last cell adds one below
    const added = page.getByTestId("cell").nth(1);
    await expectRan(added, "42");
    await expect.poll(() => sourceOf(added)).toBe("const bee = 6; bee * 7;");
    // Letters typed as text ("b", "e") were not taken as command-mode keys: no other cell was
    // added, and the first cell was neither edited nor run.
    await expect(first.getByTestId("cell-status")).toHaveAttribute("data-status", "idle");
    await expect(first.getByTestId("cell-source")).not.toContainText("bee");
  });

  test("before Monaco has loaded (held back), keys typed after a click and after B, Enter land in the cell, Backspace and arrows included, and the hand-over to Monaco keeps keys typed meanwhile", async ({ page }) => {
    const monaco = await holdMonaco(page);
    await newNotebook(page);
    const first = page.getByTestId("cell").first();
    await first.getByTestId("cell-source").click();
    // Enter indents after an opening bracket and a closing one goes back, as in Monaco.
    await page.keyboard.type("if (true) {\nlet seen = 1;\n}\nconst total = 12;", { delay: KEY_DELAY_MS });
    await page.keyboard.press("ArrowLeft", { delay: KEY_DELAY_MS }); // before the ";"
    await page.keyboard.press("Backspace", { delay: KEY_DELAY_MS }); // drops the "2"
    await page.keyboard.type("5", { delay: KEY_DELAY_MS });
    await page.keyboard.press("End", { delay: KEY_DELAY_MS });
    await page.keyboard.type(" total;", { delay: KEY_DELAY_MS });
    // Every key so far was typed while Monaco could not be on the page.
    await expect(first.locator(".monaco-editor")).toHaveCount(0);
    await page.keyboard.press("Control+Enter"); // runs in place with the typed text
    await expectRan(first, "15");
    await page.keyboard.press("Escape");
    await expect.poll(() => sourceOf(first)).toBe(FIRST);

    // B, Enter and typing at once, still without Monaco; Ctrl+Enter runs in place.
    await page.keyboard.press("b");
    await page.keyboard.press("Enter");
    await page.keyboard.type("const doubled = 0;", { delay: KEY_DELAY_MS });
    await page.keyboard.press("Backspace", { delay: KEY_DELAY_MS });
    await page.keyboard.press("Backspace", { delay: KEY_DELAY_MS });
    await page.keyboard.type("total * 2; doubled;", { delay: KEY_DELAY_MS });
    await expect(page.locator(".monaco-editor")).toHaveCount(0);

    // The caret goes back before "doubled;" (mid-line); then Monaco is let in while the person
    // keeps typing there: keys typed before, during and after it takes the text and caret over
    // all land in place, in order.
    for (let i = 0; i < "doubled;".length; i++) await page.keyboard.press("ArrowLeft", { delay: 20 });
    monaco.release();
    const words: string[] = [];
    let typedBefore = 0;
    let typedAfter = 0;
    while (typedAfter < 3) {
      const word = `${words.length + 1}${words.length + 1}; `; // digits: no completion widget in Monaco
      await page.keyboard.type(word, { delay: KEY_DELAY_MS });
      words.push(word);
      if ((await page.locator(".monaco-editor :focus").count()) > 0) typedAfter++;
      else typedBefore++;
      expect(words.length, "Monaco should take over within 200 words").toBeLessThan(200);
    }
    test.info().annotations.push({ type: "hand-over", description: `${typedBefore} word(s) typed before Monaco had focus, ${typedAfter} after` });
    await page.keyboard.press("Control+Enter");
    const added = page.getByTestId("cell").nth(1);
    await expectRan(added, "30");
    await page.keyboard.press("Escape");
    await expect.poll(() => sourceOf(added)).toBe(`const doubled = total * 2; ${words.join("")}doubled;`);
    await expect.poll(() => sourceOf(first)).toBe(FIRST);
    await expect(page.getByTestId("cell")).toHaveCount(2);
  });
});
