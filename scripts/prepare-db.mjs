// Creates and migrates the database, then seeds the demo accounts (idempotent).
// Used by `npm start`, `npm run dev` and `npm run db:seed`.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyMigrations, providerOf } from "./migrations.mjs";
import { root } from "./prisma-schemas.mjs";
import { databaseUrl } from "./runtime-env.mjs";

// NODE_ENV as the operator set it, read when this module loads: a launcher that imports it may
// set NODE_ENV=production for the server afterwards, which must not turn the demo default off.
const OPERATOR_NODE_ENV = process.env.NODE_ENV;

/**
 * The session-signing secret: BETTER_AUTH_SECRET when set. Otherwise, for a demo or development
 * install, one generated once under data/ (mode 0600, kept across restarts). In production
 * (NODE_ENV=production set by the operator) a secret must be given: this throws rather than
 * invent one that a backup, a copied data/ folder or a shared volume would leak.
 * @param {Record<string, string | undefined>} [env]
 * @param {{ nodeEnv?: string, dataDir?: string }} [options]
 * @returns {string}
 */
export function ensureAuthSecret(env = process.env, { nodeEnv = OPERATOR_NODE_ENV, dataDir = join(root, "data") } = {}) {
  if (env.BETTER_AUTH_SECRET?.trim()) return env.BETTER_AUTH_SECRET;
  if (nodeEnv === "production")
    throw new Error(
      "BETTER_AUTH_SECRET is not set. With NODE_ENV=production Cuaderno refuses to start without its own session secret " +
        "(it signs every session cookie). Generate one with `openssl rand -base64 32` and set it, e.g. " +
        "BETTER_AUTH_SECRET=\"$(openssl rand -base64 32)\" npm start — and keep the same value across restarts.",
    );
  const file = join(dataDir, "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
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
