// The system Chromium that end-to-end tests and benchmarks drive (Playwright cannot download
// browsers here). CHROMIUM_PATH wins; otherwise Debian's /usr/bin/chromium.
import { existsSync } from "node:fs";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--enable-unsafe-webgpu",
];

/** @returns {string | null} */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
  return candidates.find((p) => existsSync(p)) ?? null;
}

export const INSTALL_HINT =
  "No Chromium found. Install Debian's package (sudo apt-get update && sudo apt-get install -y chromium) " +
  "or point CHROMIUM_PATH at a Chromium binary.";
