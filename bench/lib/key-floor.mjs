// The floor of a key's latency to the screen in this browser: the same keys, typed at the same
// pace, into a bare text area on an empty page (no script, no styles). What a bench's page adds to
// it is the page's own cost; what the floor shows already (e.g. keys that wait for the display's
// next refresh when they come while frames are still being drawn for the key before) is not.
import { EVENT_LATENCY_CATEGORIES, keyPressLatencies, recordTrace } from "./trace.mjs";
import { REAL_WINDOW } from "./window.mjs";

/** Types `text` with Playwright's `delay` into a bare 12-row text area; Chrome's EventLatency per key. */
export async function bareTextAreaLatencies(browser, text, delay) {
  const ctx = await browser.newContext(REAL_WINDOW);
  try {
    const page = await ctx.newPage();
    await page.setContent('<textarea rows="12" cols="80" style="font: 14px monospace"></textarea>');
    await page.click("textarea");
    await page.waitForTimeout(300);
    const cdp = await ctx.newCDPSession(page);
    const { events } = await recordTrace(cdp, `toplevel,__metadata,${EVENT_LATENCY_CATEGORIES}`, async () => {
      await page.keyboard.type(text, { delay });
      await page.waitForTimeout(200);
    });
    return keyPressLatencies(events);
  } finally {
    await ctx.close();
  }
}
