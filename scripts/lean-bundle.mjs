// Bundles the lean HTTP layer (lib/server/http/lean.ts and the services it calls) into one ES
// module beside the production build, for scripts/server.mjs. Bundled once per build rather
// than compiled at each start (tsx): the server starts without a TypeScript loader in the
// process and without transforming a hundred files. Packages stay external (node_modules).
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./prisma-schemas.mjs";
import { sourceFingerprint } from "./build-if-stale.mjs";

const ENTRY = join(root, "lib", "server", "http", "lean.ts");

// esbuild comes with tsx (a dependency); resolved through tsx so npm's hoisting does not matter.
const esbuild = () => createRequire(createRequire(import.meta.url).resolve("tsx/package.json"))("esbuild");

/**
 * The path of the bundle for the build in `distDir`, made when missing or built from other
 * sources than that build (the build's fingerprint, scripts/build-if-stale.mjs).
 */
export function ensureLeanBundle(distDir = process.env.CUADERNO_DIST_DIR || ".next") {
  const dir = join(root, distDir, "cuaderno-server");
  const out = join(dir, "lean.mjs");
  const stampFile = join(dir, "fingerprint");
  const buildStamp = join(root, distDir, "cuaderno-fingerprint");
  const fingerprint = existsSync(buildStamp) ? readFileSync(buildStamp, "utf8") : sourceFingerprint();
  if (existsSync(out) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === fingerprint) return out;
  const result = esbuild().buildSync({
    entryPoints: [ENTRY],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: join(root, "tsconfig.json"),
    write: false,
    logLevel: "warning",
  });
  mkdirSync(dir, { recursive: true });
  // Write then rename: a second server starting on the same build never reads half a file.
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, out);
  writeFileSync(stampFile, fingerprint);
  return out;
}
