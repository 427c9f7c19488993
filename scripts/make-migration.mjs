// Usage: npm run db:make-migration -- <name>
// Writes a migration for each provider when prisma/schema.prisma moved past the committed
// history. PostgreSQL diffing needs a server (MIGRATION_PG_URL, default the local one).
import { pendingSchemaChange, writeMigration } from "./migrations.mjs";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_");
if (!name) {
  console.error("Give the migration a name: npm run db:make-migration -- add_something");
  process.exit(2);
}
const pgUrl = process.env.MIGRATION_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
for (const [provider, url] of [["sqlite", undefined], ["postgresql", pgUrl]]) {
  const sql = await pendingSchemaChange(provider, url);
  if (!sql) console.log(`${provider}: schema and migrations agree, nothing to write`);
  else console.log(`${provider}: wrote ${writeMigration(provider, name, sql)}`);
}
