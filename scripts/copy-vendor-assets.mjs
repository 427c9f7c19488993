// Copies the wasm binaries and workers the kernel loads at run time into public/vendor/ (served
// by the app itself: no CDN). Run on postinstall/prebuild; public/vendor/ is gitignored.
//   public/vendor/tfjs/tfjs-backend-wasm{,-simd,-threaded-simd}.wasm
//   public/vendor/tfjs/tfjs-backend-wasm-threaded-simd.js (the unminified Emscripten glue that the
//     wasm backend's pthread helper workers import; see lib/kernel/wasm-threads.ts)
//   public/vendor/duckdb/duckdb-{mvp,eh}.wasm, duckdb-browser-{mvp,eh}.worker.js
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = process.argv[2] ? join(process.cwd(), process.argv[2]) : join(root, "public", "vendor");

const groups = [
  {
    dir: "tfjs",
    from: "node_modules/@tensorflow/tfjs-backend-wasm/dist",
    files: ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"],
  },
  { dir: "tfjs", from: "node_modules/@tensorflow/tfjs-backend-wasm/wasm-out", files: ["tfjs-backend-wasm-threaded-simd.js"] },
  {
    dir: "duckdb",
    from: "node_modules/@duckdb/duckdb-wasm/dist",
    files: ["duckdb-mvp.wasm", "duckdb-eh.wasm", "duckdb-browser-mvp.worker.js", "duckdb-browser-eh.worker.js"],
  },
];

let copied = 0;
let missing = 0;
for (const { dir, from, files } of groups) {
  mkdirSync(join(out, dir), { recursive: true });
  for (const file of files) {
    const src = join(root, from, file);
    if (!existsSync(src)) {
      console.warn(`copy-vendor-assets: missing ${from}/${file} (is the package installed?)`);
      missing++;
      continue;
    }
    const dest = join(out, dir, file);
    if (existsSync(dest) && statSync(dest).size === statSync(src).size && statSync(dest).mtimeMs >= statSync(src).mtimeMs) continue;
    copyFileSync(src, dest);
    copied++;
  }
}
console.log(`copy-vendor-assets: ${copied} file(s) copied to ${out}${missing ? `, ${missing} missing` : ""}`);
if (missing) process.exitCode = 1;
