// The Prisma schema and both committed migration histories (SQLite, PostgreSQL) agree, and
// applied migrations are recorded the way `prisma migrate deploy` expects.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import * as migrations from "../../scripts/migrations.mjs";
import { createTestDb, testProviders } from "./helpers/test-db";

type Provider = "sqlite" | "postgresql";
const m = migrations as {
  pendingSqliteSchemaChange(): Promise<string>;
  schemaChangeSinceSnapshot(p: Provider): Promise<string>;
  schemaCreationSql(p: Provider): Promise<string>;
  migrationList(p: Provider): { baseDir: string; migrationDirectories: { path: string }[] };
  applyMigrations(url: string): Promise<string[]>;
};

describe("migrations", () => {
  it.each(["sqlite", "postgresql"] as const)("%s history was made from the current schema (snapshot is current)", async (provider) => {
    expect(await m.schemaChangeSinceSnapshot(provider)).toBe("");
  });

  it("replaying the SQLite history yields exactly the schema", async () => {
    expect(await m.pendingSqliteSchemaChange()).toBe("");
  });

  it.each(testProviders)("%s: records every migration with the checksum migrate deploy verifies, and re-applying is a no-op", async (provider) => {
    const t = await createTestDb(provider);
    try {
      const rows = await t.db.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: unknown }[]>(
        `SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name`,
      );
      const list = m.migrationList(provider);
      expect(rows.map((r) => r.migration_name)).toEqual(list.migrationDirectories.map((d) => d.path));
      for (const row of rows) {
        const sql = readFileSync(join(list.baseDir, row.migration_name, "migration.sql"));
        expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
        expect(row.finished_at).not.toBeNull();
      }
      await t.db.$disconnect(); // npm start migrates before the app connects; do the same here
      expect(await m.applyMigrations(t.url)).toEqual([]);
    } finally {
      await t.drop();
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL)("postgresql history builds the same tables, columns and indexes as the schema", async () => {
    const migrated = await createTestDb("postgresql");
    const fresh = await createTestDb("postgresql");
    try {
      // `fresh` got the history too; rebuild it from the schema alone.
      const c = new pg.Client({ connectionString: fresh.url });
      await c.connect();
      await c.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public;`);
      await c.query(await m.schemaCreationSql("postgresql"));
      await c.end();
      const describeDb = async (url: string) => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        const cols = await client.query(
          `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
           WHERE table_schema='public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
        );
        const idx = await client.query(
          `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname='public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
        );
        const fks = await client.query(
          `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype='f' ORDER BY conname`,
        );
        await client.end();
        return { cols: cols.rows, idx: idx.rows, fks: fks.rows };
      };
      const a = await describeDb(migrated.url);
      expect(a.cols.length).toBeGreaterThan(50);
      expect(await describeDb(fresh.url)).toEqual(a);
    } finally {
      await migrated.drop();
      await fresh.drop();
    }
  });
});
