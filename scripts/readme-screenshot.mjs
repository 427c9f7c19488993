// Takes the README's screenshot: a lesson opened as a guest, with its first cells run.
// Usage: node scripts/readme-screenshot.mjs http://localhost:3000 [slug] [cells to run]
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath } from "../tests/browser.mjs";

const base = process.argv[2] ?? "http://localhost:3000";
const slug = process.argv[3] ?? "imbalance";
const browser = await chromium.launch({ executablePath: chromiumPath() ?? undefined, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
await page.goto(`${base}/es/lessons/${slug}`);
// wasm is the fastest backend on machines without a GPU; skip calibrating the others.
await page.getByTestId("kernel-backend-select").selectOption("wasm");
await page.getByTestId("kernel-backend").and(page.locator('[data-backend="wasm"]')).waitFor({ timeout: 120_000 });
const cells = page.locator('[data-testid="cell"]').filter({ has: page.getByTestId("cell-run") });
const count = Math.min(Number(process.argv[4] ?? 2), await cells.count());
for (let i = 0; i < count; i++) {
  await cells.nth(i).getByTestId("cell-run").click();
  await page.locator(`[data-testid="cell-status"][data-status="done"], [data-testid="cell-status"][data-status="error"]`).nth(i).waitFor({ timeout: 180_000 });
}
// Frame the last run cell's output (a chart or table) with some prose above it.
await cells.nth(count - 1).getByTestId("cell-output").scrollIntoViewIfNeeded();
await page.mouse.wheel(0, 200);
await page.waitForTimeout(1500);
await page.screenshot({ path: "public/readme/screenshot.png" });
await browser.close();
console.log("wrote public/readme/screenshot.png");
