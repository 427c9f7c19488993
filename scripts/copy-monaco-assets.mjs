// Copies Monaco's prebuilt AMD bundle (node_modules/monaco-editor/min/vs) to public/vendor/monaco/vs,
// where @monaco-editor/react's loader is pointed (no CDN). public/vendor/ is gitignored; run on
// postinstall and before `next start`. Skips files that are already up to date.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const from = join(root, "node_modules", "monaco-editor", "min", "vs");
const to = process.argv[2] ? join(process.cwd(), process.argv[2]) : join(root, "public", "vendor", "monaco", "vs");

if (!existsSync(from)) {
  console.warn("copy-monaco-assets: node_modules/monaco-editor/min/vs is missing (is monaco-editor installed?)");
  process.exitCode = 1;
} else {
  let copied = 0;
  let total = 0;
  const walk = (src, dest) => {
    mkdirSync(dest, { recursive: true });
    for (const entry of readdirSync(src, { withFileTypes: true })) {
      const s = join(src, entry.name);
      const d = join(dest, entry.name);
      if (entry.isDirectory()) walk(s, d);
      else if (entry.isFile()) {
        total++;
        const ss = statSync(s);
        if (existsSync(d)) {
          const ds = statSync(d);
          if (ds.size === ss.size && ds.mtimeMs >= ss.mtimeMs) continue;
        }
        copyFileSync(s, d);
        copied++;
      }
    }
  };
  walk(from, to);
  console.log(`copy-monaco-assets: ${copied} of ${total} file(s) copied to ${to}`);
}
