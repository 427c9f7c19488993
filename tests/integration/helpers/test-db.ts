// Fresh, migrated databases for integration tests: always SQLite (a temp file), and
// PostgreSQL too when TEST_DATABASE_URL names a server (a new database per call, dropped after).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { applyMigrations } from "../../../scripts/migrations.mjs";
import { configureSqlite, createDb, type Db } from "@/lib/server/db";

export interface TestDb {
  provider: "sqlite" | "postgresql";
  url: string;
  db: Db;
  drop(): Promise<void>;
}

export async function createSqliteTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), "cuaderno-test-"));
  const url = `file:${join(dir, "test.db")}`;
  await applyMigrations(url);
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
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  await applyMigrations(url);
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
