// Usage: npm run db:make-migration -- <name>
// Writes a migration for SQLite and for PostgreSQL when prisma/schema.prisma moved past the
// schema of the last migration (prisma/migrations/schema.snapshot.prisma), then updates the
// snapshot. tests/integration/migrations check that both histories really reach the schema.
import { copyFileSync } from "node:fs";
import { schemaChangeSinceSnapshot, snapshotPath, writeMigration } from "./migrations.mjs";
import { sqliteSchemaPath } from "./prisma-schemas.mjs";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_");
if (!name) {
  console.error("Give the migration a name: npm run db:make-migration -- add_something");
  process.exit(2);
}
let wrote = false;
for (const provider of ["sqlite", "postgresql"]) {
  const sql = await schemaChangeSinceSnapshot(provider);
  if (!sql) console.log(`${provider}: schema and migrations agree, nothing to write`);
  else {
    console.log(`${provider}: wrote ${writeMigration(provider, name, sql)}`);
    wrote = true;
  }
}
if (wrote) copyFileSync(sqliteSchemaPath, snapshotPath);
