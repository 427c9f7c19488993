// Runs `next build` when there is no build yet or a source file changed since the last one
// (a fingerprint of paths, sizes and mtimes, stored beside the build).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { root } from "./prisma-schemas.mjs";

// tsconfig.json is left out: `next build` itself adds its folder's types to it.
const SOURCES = ["app", "components", "lib", "content", "public", "prisma/schema.prisma", "next.config.mjs", "postcss.config.mjs", "package-lock.json"];
const SKIP = new Set(["node_modules", ".next", "vendor", "generated"]);
const distDir = () => process.env.CUADERNO_DIST_DIR || ".next";

function* walk(path) {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isFile()) {
    yield [relative(root, path), st.size, Math.floor(st.mtimeMs)];
    return;
  }
  for (const entry of readdirSync(path)) if (!SKIP.has(entry)) yield* walk(join(path, entry));
}

export function sourceFingerprint() {
  const hash = createHash("sha256");
  for (const src of SOURCES) for (const row of walk(join(root, src))) hash.update(row.join("\0") + "\n");
  return hash.digest("hex");
}

export async function buildIfStale() {
  // Self-hosted assets first (cheap when already there): the build and the server serve them.
  for (const script of ["copy-vendor-assets.mjs", "copy-monaco-assets.mjs", "notebook-types.mjs"]) {
    const path = join(root, "scripts", script);
    if (existsSync(path)) execFileSync(process.execPath, [path], { stdio: "inherit", cwd: root });
  }
  const dist = join(root, distDir());
  const stamp = join(dist, "cuaderno-fingerprint");
  const fingerprint = sourceFingerprint();
  const isBuilt = () => existsSync(join(dist, "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint;
  if (isBuilt()) {
    console.log("Build is up to date.");
    return;
  }
  // One build at a time per folder: a second start waits, then finds it built.
  const release = await acquireLock(`${dist}.build-lock`);
  try {
    if (isBuilt()) return;
    build();
    // Taken after the build, so anything the build itself touches counts as built.
    writeFileSync(stamp, sourceFingerprint());
  } finally {
    release();
  }
}

async function acquireLock(path, staleMs = 20 * 60 * 1000) {
  for (;;) {
    try {
      mkdirSync(path);
      return () => rmSync(path, { recursive: true, force: true });
    } catch {
      const age = existsSync(path) ? Date.now() - statSync(path).mtimeMs : 0;
      if (age > staleMs) rmSync(path, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

function build() {
  console.log("Building Cuaderno (first start or sources changed)…");
  execFileSync(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}
