// Generates the Rust-free Prisma clients for SQLite and PostgreSQL (npm's postinstall).
// `prisma generate` only needs the query compiler (wasm, shipped in the npm package); it
// still checks for a native schema engine, so we point it at an existing file to stop it
// from trying to download one.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { root, sqliteSchemaPath, writePostgresSchema } from "./prisma-schemas.mjs";

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const prismaBin = join(root, "node_modules", "prisma", "build", "index.js");
for (const schema of [sqliteSchemaPath, writePostgresSchema()]) {
  execFileSync(process.execPath, [prismaBin, "generate", "--schema", schema], { env, stdio: "inherit", cwd: root });
}
