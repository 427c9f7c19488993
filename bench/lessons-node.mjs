// Full-run time of each lesson notebook in Node (wasm tfjs by default), through
// scripts/check-lessons.ts. Each lesson × language runs in its own fresh process, `--repeat` times;
// prints p50 / min / max of the notebook's wall time (start-up of tfjs and DuckDB not included),
// the slowest cells, and the load average, since shared machines skew these figures. Prints
// numbers, never pass/fail (a lesson that fails is still timed, and flagged).
//
//   node bench/lessons-node.mjs [slug...] [--lang es|en] [--backend wasm|cpu] [--repeat N]

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
let repeat = 3;
let backend = "wasm";
let langs = ["es", "en"];
const slugs = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--repeat") repeat = Number(args[++i]);
  else if (a === "--backend") backend = args[++i];
  else if (a === "--lang") langs = [args[++i]];
  else slugs.push(a);
}
if (!slugs.length) {
  const dir = path.join(root, "content/lessons");
  for (const s of readdirSync(dir)) if (existsSync(path.join(dir, s, "meta.json"))) slugs.push(s);
}

const tmp = mkdtempSync(path.join(tmpdir(), "lessons-bench-"));
const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;

console.log(`lessons-node: backend ${backend}, ${repeat} run(s) each, one process per run; load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
console.log(`${"lesson".padEnd(24)} lang   p50      min      max    slowest cells (p50)`);
for (const slug of slugs) {
  for (const lang of langs) {
    if (!existsSync(path.join(root, "content/lessons", slug, `${lang}.md`))) continue;
    const walls = [];
    const cellMs = new Map();
    let failures = 0;
    for (let r = 0; r < repeat; r++) {
      const out = path.join(tmp, `${slug}-${lang}-${r}.json`);
      spawnSync("npx", ["tsx", "scripts/check-lessons.ts", slug, "--lang", lang, "--backend", backend, "--quiet", "--json", out], {
        cwd: root,
        stdio: "ignore",
      });
      if (!existsSync(out)) continue;
      const run = JSON.parse(readFileSync(out, "utf8")).runs[0];
      if (!run) continue;
      walls.push(run.wallMs);
      failures = Math.max(failures, run.failures.length);
      for (const c of run.cells) {
        const key = `${c.id}${c.kind.startsWith("exercise") ? `:${c.kind.slice(9)}` : ""}`;
        if (!cellMs.has(key)) cellMs.set(key, []);
        cellMs.get(key).push(c.ms);
      }
    }
    if (!walls.length) {
      console.log(`${slug.padEnd(24)} ${lang}    (did not run)`);
      continue;
    }
    const slow = [...cellMs.entries()]
      .map(([k, v]) => [k, pct(v, 0.5)])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(", ");
    console.log(
      `${slug.padEnd(24)} ${lang}  ${fmt(pct(walls, 0.5)).padStart(7)}  ${fmt(Math.min(...walls)).padStart(7)}  ${fmt(Math.max(...walls)).padStart(7)}   ${slow}` +
        (failures ? `   [${failures} failing cell(s)]` : ""),
    );
  }
}
console.log(`load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
rmSync(tmp, { recursive: true, force: true });
