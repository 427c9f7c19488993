// Computes and applies Prisma migrations without the native schema engine: the same engine
// compiled to wasm (@prisma/schema-engine-wasm) drives our own driver adapter. Migrations are
// recorded in `_prisma_migrations`, so `prisma migrate deploy` elsewhere sees them as applied.
import { readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { providerSchema, root, schemaFor } from "./prisma-schemas.mjs";

const require = createRequire(import.meta.url);
export const migrationsDir = (provider) => join(root, "prisma", "migrations", provider);

let enginePromise;
/** Loads the wasm schema engine once (no --experimental-wasm-modules needed). */
async function loadEngineModule() {
  enginePromise ??= (async () => {
    const pkgDir = join(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"), "..");
    const glue = await import(join(pkgDir, "schema_engine_bg.js"));
    const bytes = readFileSync(join(pkgDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return glue;
  })();
  return enginePromise;
}

export function providerOf(url) {
  return /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";
}

/** Path of the SQLite file named by a `file:` URL (relative paths are from the repo root). */
export function sqliteFilePath(url) {
  const p = url.replace(/^file:/, "");
  return p.startsWith("/") ? p : join(root, p);
}

/**
 * Wraps a driver adapter factory for the wasm engine:
 * - the engine replays migration history on the shadow database through executeRaw with a
 *   whole multi-statement script, which prepared statements reject; such scripts go to the
 *   adapter's executeScript instead;
 * - the engine does not close the connections it opens; we track and dispose them, so a
 *   SQLite file is not left locked for the app.
 */
function forSchemaEngine(factory) {
  const open = new Set();
  const track = (adapter) => (open.add(adapter), adapter);
  const acceptScripts = (adapter) => {
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      if (query.args.length === 0 && /;\s*\S/.test(query.sql)) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      return executeRaw(query);
    };
    return adapter;
  };
  const connect = factory.connect.bind(factory);
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connect = async () => track(await connect());
  factory.connectToShadowDb = async () => track(acceptScripts(await connectToShadowDb()));
  const dispose = async () => {
    for (const adapter of open) await adapter.dispose?.().catch(() => {});
    open.clear();
  };
  return { factory, dispose };
}

async function adapterFactoryFor(url) {
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  let wrapped;
  if (providerOf(url) === "postgresql") {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    wrapped = forSchemaEngine(new PrismaPg({ connectionString: url }));
  } else {
    const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
    const file = sqliteFilePath(url);
    mkdirSync(join(file, ".."), { recursive: true });
    wrapped = forSchemaEngine(new PrismaBetterSqlite3({ url: `file:${file}` }));
  }
  return { factory: bindMigrationAwareSqlAdapterFactory(wrapped.factory), dispose: wrapped.dispose };
}

async function withEngine(url, fn) {
  const provider = providerOf(url);
  const { SchemaEngine } = await loadEngineModule();
  const { factory, dispose } = await adapterFactoryFor(url);
  const log = process.env.CUADERNO_MIGRATE_DEBUG ? (m) => console.error(m) : () => {};
  const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", schemaFor(provider)]] }, log, factory);
  try {
    return await fn(engine, provider);
  } catch (error) {
    // The engine reports adapter failures as "External error id#N"; surface the real cause.
    const match = /External error id#(\d+)/.exec(String(error?.message ?? error));
    const cause = match ? factory.errorRegistry.consumeError(Number(match[1])) : undefined;
    if (cause) error.message += `\nCaused by: ${String(cause.error?.message ?? JSON.stringify(cause))}`;
    throw error;
  } finally {
    engine.free();
    await dispose();
  }
}

/** Reads committed migrations for a provider in the shape the engine expects. */
export function migrationList(provider) {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, "migration_lock.toml");
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => {
      const file = join(baseDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file) ? { tag: "ok", value: readFileSync(file, "utf8") } : { tag: "error", value: "missing migration.sql" },
        },
      };
    }),
  };
}

const noFilter = { externalTables: [], externalEnums: [] };

/** Applies every committed, not yet applied migration to the database at `url`. */
export async function applyMigrations(url) {
  return withEngine(url, async (engine, provider) => {
    const out = await engine.applyMigrations({ migrationsList: migrationList(provider), filters: noFilter });
    return out.appliedMigrationNames;
  });
}

/**
 * SQL that takes the committed SQLite history to the current schema ("" when they agree): the
 * engine replays the history into an empty shadow database (a temporary file). PostgreSQL's
 * history is checked by tests/integration/migrations instead, since the wasm engine cannot
 * introspect through the pg adapter yet.
 */
export function pendingSqliteSchemaChange() {
  const list = migrationList("sqlite");
  return diffToCurrentSchema("sqlite", list.migrationDirectories.length ? { tag: "migrations", ...list } : { tag: "empty" });
}

/** The schema as of the last committed migration (SQLite text; PostgreSQL derives from it). */
export const snapshotPath = join(root, "prisma", "migrations", "schema.snapshot.prisma");

/**
 * SQL from the last migrated schema (snapshot) to the current one, for a provider. A
 * datamodel-to-datamodel diff needs no database introspection, so it works for both.
 */
export function schemaChangeSinceSnapshot(provider) {
  const text = existsSync(snapshotPath) ? readFileSync(snapshotPath, "utf8") : null;
  return diffToCurrentSchema(
    provider,
    text ? { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: providerSchema(text, provider) }] } : { tag: "empty" },
  );
}

/** SQL that creates the current schema from nothing, for a provider. */
export function schemaCreationSql(provider) {
  return diffToCurrentSchema(provider, { tag: "empty" });
}

/**
 * Diffs `from` to the current schema for a provider. The engine always wants an adapter and,
 * for a migrations history, an empty shadow database: a throwaway SQLite file serves both.
 */
async function diffToCurrentSchema(provider, from) {
  const dir = mkdtempSync(join(tmpdir(), "cuaderno-shadow-"));
  try {
    return await withEngine(`file:${join(dir, "shadow.db")}`, async (engine) => {
      const out = await engine.diff({
        from,
        to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schemaFor(provider) }] },
        script: true,
        exitCode: null,
        filters: noFilter,
      });
      return normalizeDiff(out.stdout);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function normalizeDiff(stdout) {
  const sql = (stdout ?? "").trim();
  return /^-- This is an empty migration\.?$/.test(sql) ? "" : sql;
}

/** Writes a new migration folder for a provider when the schema moved on. */
export function writeMigration(provider, name, sql) {
  const baseDir = migrationsDir(provider);
  mkdirSync(baseDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = join(baseDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql.endsWith("\n") ? sql : sql + "\n");
  const lock = join(baseDir, "migration_lock.toml");
  if (!existsSync(lock)) {
    writeFileSync(lock, `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`);
  }
  return dir;
}
