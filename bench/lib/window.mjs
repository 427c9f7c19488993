// The browser window of the benches that time key presses to the screen (typed-cells,
// teach-editor). Playwright's default emulates a 1280×720 viewport inside headless Chromium's
// real window, whose top ~87 px are its (invisible) toolbar: the bottom ~65 px of the emulated
// viewport lie outside the surface the display compositor presents. A key typed there changes
// nothing on screen, so its frame is presented only with the next change elsewhere, up to ~1 s
// later (measured: Monaco with its caret within 60 px of the bottom, p50 550 ms; 70 px, 7 ms; the
// same page in a real window of that size, 7 ms). These benches therefore use the real window
// (no emulated viewport), sized so that the page gets about 1280×813.
export const WINDOW_ARGS = ["--window-size=1280,900"];

/** Context options: the real window's size, not an emulated viewport. */
export const REAL_WINDOW = { viewport: null };
