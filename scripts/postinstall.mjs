// npm's postinstall: generate the Prisma clients and copy the self-hosted notebook assets
// (tfjs wasm, DuckDB bundles, Monaco) and the notebook editor's generated declarations into
// public/vendor/. Nothing is downloaded.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { root } from "./prisma-schemas.mjs";

for (const script of ["prisma-generate.mjs", "copy-vendor-assets.mjs", "copy-monaco-assets.mjs", "notebook-types.mjs"]) {
  const path = join(root, "scripts", script);
  if (existsSync(path)) execFileSync(process.execPath, [path], { stdio: "inherit", cwd: root });
}
