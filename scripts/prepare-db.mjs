// Creates and migrates the database, then seeds the demo accounts (idempotent).
// Used by `npm start`, `npm run dev` and `npm run db:seed`.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyMigrations, providerOf } from "./migrations.mjs";
import { root } from "./prisma-schemas.mjs";
import { databaseUrl } from "./runtime-env.mjs";

/** The session-signing secret: BETTER_AUTH_SECRET, else one generated once under data/. */
export function ensureAuthSecret() {
  const file = join(root, "data", "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(join(root, "data"), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

export async function prepareDatabase() {
  const url = databaseUrl();
  process.env.DATABASE_URL = url;
  const applied = await applyMigrations(url);
  console.log(applied.length ? `Database (${providerOf(url)}): applied ${applied.join(", ")}` : `Database (${providerOf(url)}) is up to date`);
  const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const out = execFileSync(process.execPath, [tsx, join(root, "prisma", "seed.ts")], { env: process.env, cwd: root, encoding: "utf8" });
  // The seed prints its result (join code and demo logins) as JSON on its last line.
  return JSON.parse(out.trim().split("\n").pop());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { joinCode } = await prepareDatabase();
  console.log(`Demo data ready (class join code ${joinCode}).`);
}
