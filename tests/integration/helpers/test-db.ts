// Fresh, migrated databases for integration tests: always SQLite (a temp file), and
// PostgreSQL too when TEST_DATABASE_URL names a server (a new database per call, dropped after).
//
// Each provider's committed migrations are applied once per migration history, into a template
// (a SQLite file in the temp folder; a PostgreSQL template database), named by a hash of the
// migration files; every test database is then a copy of it (a file copy; CREATE DATABASE …
// TEMPLATE), which takes milliseconds where replaying the migrations with the wasm schema engine
// takes 1–3 s. A changed migration gives a new hash, so a new template. Templates are built under a
// temporary name and renamed into place, so parallel workers never see a half-built one.
// tests/integration/migrations.integration.test.ts still applies the migrations itself.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { applyMigrations, migrationsDir } from "../../../scripts/migrations.mjs";
import { configureSqlite, createDb, type Db } from "@/lib/server/db";

const hashes = new Map<string, string>();

/** A short hash of a provider's migration files (names and contents), naming its template; read once per process. */
export function migrationsHash(provider: "sqlite" | "postgresql"): string {
  const known = hashes.get(provider);
  if (known) return known;
  const h = createHash("sha256");
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${rel}${name}/`);
      else h.update(`${rel}${name}\0`).update(readFileSync(full)).update("\0");
    }
  };
  walk(migrationsDir(provider), "");
  const hash = h.digest("hex").slice(0, 16);
  hashes.set(provider, hash);
  return hash;
}

const templateDir = join(tmpdir(), "cuaderno-test-templates");

/** The migrated SQLite template file for the current migrations, built if missing. */
async function sqliteTemplate(): Promise<string> {
  const file = join(templateDir, `sqlite-${migrationsHash("sqlite")}.db`);
  if (existsSync(file)) return file;
  mkdirSync(templateDir, { recursive: true });
  const building = join(templateDir, `building-${process.pid}-${Date.now()}.db`);
  await applyMigrations(`file:${building}`);
  renameSync(building, file); // atomic: another worker's identical template may be replaced, never half-read
  return file;
}

/** The name of the migrated PostgreSQL template database for the current migrations, built if missing. */
async function postgresTemplate(admin: pg.Client, serverUrl: string): Promise<string> {
  const name = `cuaderno_tmpl_${migrationsHash("postgresql")}`;
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (exists.rowCount) return name;
  const building = `cuaderno_tmpl_building_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE "${building}"`);
  const u = new URL(serverUrl);
  u.pathname = `/${building}`;
  await applyMigrations(u.toString());
  try {
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
  } catch (err) {
    // Another worker built it first: use theirs.
    await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    if ((err as { code?: string }).code !== "42P04") throw err;
  }
  return name;
}

export interface TestDb {
  provider: "sqlite" | "postgresql";
  url: string;
  db: Db;
  drop(): Promise<void>;
}

export async function createSqliteTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), "cuaderno-test-"));
  const file = join(dir, "test.db");
  copyFileSync(await sqliteTemplate(), file);
  const url = `file:${file}`;
  const db = createDb(url);
  await configureSqlite(db);
  return {
    provider: "sqlite",
    url,
    db,
    async drop() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function createPostgresTestDb(serverUrl: string): Promise<TestDb> {
  const name = `cuaderno_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const template = await postgresTemplate(admin, serverUrl);
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb(url);
  return {
    provider: "postgresql",
    url,
    db,
    async drop() {
      await db.$disconnect();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The providers this run tests: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const testProviders: ("sqlite" | "postgresql")[] = process.env.TEST_DATABASE_URL
  ? ["sqlite", "postgresql"]
  : ["sqlite"];

export function createTestDb(provider: "sqlite" | "postgresql"): Promise<TestDb> {
  return provider === "sqlite" ? createSqliteTestDb() : createPostgresTestDb(process.env.TEST_DATABASE_URL!);
}

let userSeq = 0;
/** Inserts a user directly (tests of services don't go through sign-up). */
export async function insertUser(db: Db, role: "student" | "instructor", name?: string) {
  userSeq += 1;
  const id = `u_${process.pid}_${Date.now()}_${userSeq}`;
  return db.user.create({
    data: { id, name: name ?? `${role} ${userSeq}`, email: `${id}@example.test`, role },
    select: { id: true, name: true, email: true, role: true },
  }) as Promise<{ id: string; name: string; email: string; role: "student" | "instructor" }>;
}
