// Derives the PostgreSQL schema from prisma/schema.prisma: the two differ only in provider
// and generated-client folder, so the SQLite file stays the single source of truth.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const sqliteSchemaPath = join(root, "prisma", "schema.prisma");
export const postgresSchemaPath = join(root, "prisma", "generated", "postgres.prisma");

/** Returns the PostgreSQL variant of a SQLite schema text. */
export function toPostgresSchema(sqliteSchema) {
  return sqliteSchema
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "./generated/sqlite"', 'output       = "./postgres"');
}

/** A SQLite schema text as the given provider's schema. */
export function providerSchema(sqliteSchemaText, provider) {
  return provider === "postgresql" ? toPostgresSchema(sqliteSchemaText) : sqliteSchemaText;
}

export function schemaFor(provider) {
  return providerSchema(readFileSync(sqliteSchemaPath, "utf8"), provider);
}

export function writePostgresSchema() {
  mkdirSync(dirname(postgresSchemaPath), { recursive: true });
  writeFileSync(postgresSchemaPath, schemaFor("postgresql"));
  return postgresSchemaPath;
}
